// The verdict engine on small real training runs: ring8, the MLP, the wasm backend. Each
// configuration's outcome was checked on seeds 1 to 3 before it was fixed here.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRunConfig, type RunConfig, type RunConfigInput } from '../../src/shared/config';
import type { MetricPoint } from '../../src/shared/run';
import { VERDICT_CODE_METRIC, VERDICT_CODES, verdictIdFromCode, type VerdictEventData } from '../../src/shared/verdict';
import { RunStore } from '../../src/main/store/run-store';
import { train, type TrainerHost } from '../../src/main/training/trainer';

const BIN = resolve(__dirname, '../../bin/gan-workbench.js');
const dir = mkdtempSync(join(tmpdir(), 'gan-verdict-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function config(input: RunConfigInput): RunConfig {
  const result = parseRunConfig({ backend: 'wasm', sampleEvery: 100_000, ...input });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

/** Builds a host that records metrics and events and never stops or pauses the run. */
function recordingHost() {
  const metrics: MetricPoint[] = [];
  const verdicts: (VerdictEventData & { step: number; message: string })[] = [];
  const errors: { step: number; message: string }[] = [];
  const host: TrainerHost = {
    started: () => undefined,
    progress: () => undefined,
    metrics: (points) => metrics.push(...points),
    sample: () => undefined,
    event: (step, kind, message, data) => {
      if (kind === 'verdict') verdicts.push({ step, message, ...(data as unknown as VerdictEventData) });
      if (kind === 'error') errors.push({ step, message });
    },
    stopRequested: () => false,
    whenResumed: () => Promise.resolve(),
  };
  return { host, metrics, verdicts, errors };
}

const seriesOf = (points: MetricPoint[], name: string) => points.filter((p) => p.name === name);

/** Minimax with D's learning rate ten times G's and five D updates per step. */
const FAST_MINIMAX_D: RunConfigInput = {
  loss: { kind: 'minimax' },
  optimizerD: { learningRate: 1e-3 },
  optimizerG: { learningRate: 1e-4 },
  nD: 5,
  batchSize: 64,
  steps: 100,
  logEvery: 5,
};

/** WGAN-GP as Gulrajani et al. 2017 train it: Adam 1e-4, β (0.5, 0.9), nD 5, λ 10. */
const STANDARD_WGAN_GP: RunConfigInput = {
  loss: { kind: 'wgan-gp', gradientPenaltyWeight: 10 },
  optimizerD: { learningRate: 1e-4, beta1: 0.5, beta2: 0.9 },
  optimizerG: { learningRate: 1e-4, beta1: 0.5, beta2: 0.9 },
  nD: 5,
  batchSize: 64,
  steps: 120,
  logEvery: 10,
};

/** Plain SGD at learning rate 1 overflows the ns loss within 100 steps on seeds 1 to 3. */
const OVERFLOWING_SGD: RunConfigInput = {
  loss: { kind: 'ns' },
  optimizerD: { kind: 'sgd', learningRate: 1 },
  optimizerG: { kind: 'sgd', learningRate: 1 },
  batchSize: 64,
  steps: 200,
  seed: 1,
};

describe('verdicts of real training runs', () => {
  it('flags a fast minimax D as dominating', async () => {
    const recorded = recordingHost();
    const result = await train(config({ ...FAST_MINIMAX_D, seed: 1 }), recorded.host);

    expect(result.status).toBe('completed');
    const ids = recorded.verdicts.map((v) => v.id);
    expect(ids.some((id) => id === 'd-dominating' || id === 'vanishing-g-gradient')).toBe(true);
    const flagged = recorded.verdicts.find((v) => v.id === 'd-dominating' || v.id === 'vanishing-g-gradient');
    expect(flagged?.evidence.accReal).toBeGreaterThan(0.9);
    expect(flagged?.evidence.accFake).toBeGreaterThan(0.9);
    expect(flagged?.suggestions.map((s) => s.id)).toEqual(expect.arrayContaining(['lower-lr-d', 'lower-n-d', 'switch-to-ns']));
  });

  it('logs one verdict code per logged step', async () => {
    const recorded = recordingHost();
    await train(config({ ...FAST_MINIMAX_D, steps: 50, seed: 2 }), recorded.host);

    const codes = seriesOf(recorded.metrics, VERDICT_CODE_METRIC);
    expect(codes.map((p) => p.step)).toEqual(seriesOf(recorded.metrics, 'lossD').map((p) => p.step));
    expect(codes).toHaveLength(10);
    expect(codes.slice(0, 2).map((p) => p.value)).toEqual([VERDICT_CODES['warming-up'], VERDICT_CODES['warming-up']]);
    // The code at each change event's step is the event's verdict.
    for (const verdict of recorded.verdicts) {
      expect(verdictIdFromCode(codes.find((p) => p.step === verdict.step)?.value ?? -1)).toBe(verdict.id);
    }
  });

  it('ends a standard WGAN-GP run balanced', async () => {
    const recorded = recordingHost();
    const result = await train(config({ ...STANDARD_WGAN_GP, seed: 1 }), recorded.host);

    expect(result.status).toBe('completed');
    expect(recorded.verdicts.at(-1)?.id).toBe('balanced');
    expect(seriesOf(recorded.metrics, VERDICT_CODE_METRIC).at(-1)?.value).toBe(VERDICT_CODES.balanced);
  });

  it('ends an overflowing run diverged within one logging interval', async () => {
    // Logging every step finds the first non-finite step; the run under test logs every 5.
    const everyStep = recordingHost();
    const reference = await train(config({ ...OVERFLOWING_SGD, logEvery: 1 }), everyStep.host);
    expect(reference.status).toBe('failed');
    const firstBadStep = reference.step;

    const recorded = recordingHost();
    const result = await train(config({ ...OVERFLOWING_SGD, logEvery: 5 }), recorded.host);

    expect(result.status).toBe('failed');
    expect(result.step).toBe(Math.ceil(firstBadStep / 5) * 5);
    const term = /^(\w+) became (NaN|Infinity|-Infinity) at step (\d+)/.exec(result.error ?? '');
    expect(term?.[3]).toBe(String(result.step));
    const last = recorded.verdicts.at(-1);
    expect(last?.id).toBe('diverged');
    expect(last?.step).toBe(result.step);
    expect(last?.evidence.term).toBe(term?.[1]);
    expect(seriesOf(recorded.metrics, VERDICT_CODE_METRIC).at(-1)).toEqual({ step: result.step, name: VERDICT_CODE_METRIC, value: VERDICT_CODES.diverged });
  });
});

describe('train --json verdict fields', () => {
  function cli(...args: string[]) {
    const result = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  it('reports the last verdict and every change', () => {
    const db = join(dir, 'diverged.db');
    const result = cli('train', '--dataset', 'ring8', '--loss', 'ns', '--optimizer-d', 'sgd', '--optimizer-g', 'sgd', '--lr-d', '1', '--lr-g', '1', '--batch-size', '64', '--steps', '200', '--log-every', '5', '--seed', '1', '--db', db, '--json');

    expect(result.code).toBe(1);
    const summary = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    expect(summary.status).toBe('failed');
    expect(summary.verdict).toBe('diverged');
    const changes = summary.verdicts as { step: number; id: string }[];
    expect(changes.at(-1)).toEqual({ step: summary.steps, id: 'diverged' });
    const term = new RegExp(`^(\\w+) became (NaN|Infinity|-Infinity) at step ${String(summary.steps)}`).exec(String(summary.error));
    expect(term).not.toBeNull();

    // Every statistic of the failing step stays stored, the non-finite one included.
    const store = RunStore.open(db);
    try {
      const lastStep = store.getMetrics(summary.runId as number).filter((p) => p.step === summary.steps);
      expect(lastStep.map((p) => p.name)).toEqual(expect.arrayContaining(['lossD', 'lossG', 'gradNormD', 'gradNormG', VERDICT_CODE_METRIC, term?.[1]]));
    } finally {
      store.close();
    }

    const listed = cli('runs', '--db', db, '--json');
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { verdict: string }[])[0].verdict).toBe('diverged');
  });
});
