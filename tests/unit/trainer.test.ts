import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { parseRunConfig, type RunConfig, type RunConfigInput } from '../../src/shared/config';
import type { MetricPoint } from '../../src/shared/run';
import { train, type TrainerHost } from '../../src/main/training/trainer';

function config(input: RunConfigInput): RunConfig {
  const result = parseRunConfig({ backend: 'wasm', ...input });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

/** A host that records what the trainer reports; `stopAtStep` requests a stop once that step is reached. */
function recordingHost(options: { stopAtStep?: number } = {}) {
  const metrics: MetricPoint[] = [];
  const samples: { step: number; kind: string; bytes: number; points?: number }[] = [];
  const events: { step: number; kind: string; message: string }[] = [];
  const tensorCounts: number[] = [];
  let lastStep = 0;
  const host: TrainerHost = {
    started: () => undefined,
    progress: (step) => {
      lastStep = step;
    },
    metrics: (points) => {
      metrics.push(...points);
      tensorCounts.push(tf.memory().numTensors);
      lastStep = points[0]?.step ?? lastStep;
    },
    sample: (step, kind, png, points) => samples.push({ step, kind, bytes: png.length, points: points?.generated.length }),
    event: (step, kind, message) => events.push({ step, kind, message }),
    stopRequested: () => options.stopAtStep !== undefined && lastStep >= options.stopAtStep,
    whenResumed: () => Promise.resolve(),
  };
  return { host, metrics, samples, events, tensorCounts };
}

const valuesOf = (points: MetricPoint[], name: string) => points.filter((p) => p.name === name).map((p) => p.value);

describe('train', () => {
  it('reproduces the first 10 logged losses for one seed', async () => {
    const runConfig = config({ steps: 50, logEvery: 5, sampleEvery: 1000, seed: 7 });
    const first = recordingHost();
    const second = recordingHost();
    await train(runConfig, first.host);
    await train(runConfig, second.host);

    const firstLosses = valuesOf(first.metrics, 'lossD').slice(0, 10);
    expect(firstLosses).toHaveLength(10);
    expect(valuesOf(second.metrics, 'lossD').slice(0, 10)).toEqual(firstLosses);
    expect(valuesOf(second.metrics, 'lossG').slice(0, 10)).toEqual(valuesOf(first.metrics, 'lossG').slice(0, 10));
  });

  it('gives different losses for another seed', async () => {
    const a = recordingHost();
    const b = recordingHost();
    await train(config({ steps: 10, logEvery: 5, sampleEvery: 1000, seed: 1 }), a.host);
    await train(config({ steps: 10, logEvery: 5, sampleEvery: 1000, seed: 2 }), b.host);

    expect(valuesOf(a.metrics, 'lossD')).not.toEqual(valuesOf(b.metrics, 'lossD'));
  });

  it('logs every balance statistic at each logging step', async () => {
    const recorded = recordingHost();
    const result = await train(config({ steps: 20, logEvery: 10, sampleEvery: 10 }), recorded.host);

    expect(result.status).toBe('completed');
    for (const name of ['lossD', 'lossG', 'dReal', 'dFake', 'accReal', 'accFake', 'gradNormD', 'gradNormG']) {
      expect(recorded.metrics.filter((p) => p.name === name).map((p) => p.step)).toEqual([10, 20]);
    }
    for (const value of [...valuesOf(recorded.metrics, 'accReal'), ...valuesOf(recorded.metrics, 'dFake')]) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }
    // Snapshots at step 0, 10 and 20, each with 1,000 generated points.
    expect(recorded.samples.map((s) => s.step)).toEqual([0, 10, 20]);
    expect(recorded.samples.every((s) => s.kind === 'points' && s.points === 1000 && s.bytes > 100)).toBe(true);
  });

  it('keeps the tensor count flat after warm-up', async () => {
    const recorded = recordingHost();
    const before = tf.memory().numTensors;
    const result = await train(config({ steps: 300, logEvery: 20, sampleEvery: 100, loss: { kind: 'wgan-gp' }, nD: 2, batchSize: 64, model: { generator: { width: 32 }, discriminator: { width: 32 } } }), recorded.host);

    expect(result.status).toBe('completed');
    const afterWarmUp = recorded.tensorCounts.slice(2);
    expect(afterWarmUp.length).toBeGreaterThan(10);
    expect(Math.max(...afterWarmUp)).toBe(Math.min(...afterWarmUp));
    // Models, optimizer slots and the fixed latent batch are all released at the end.
    expect(result.tensorCount).toBe(before);
  });

  it('stops between steps when asked', async () => {
    const recorded = recordingHost({ stopAtStep: 30 });
    const result = await train(config({ steps: 10_000, logEvery: 10, sampleEvery: 1000 }), recorded.host);

    expect(result.status).toBe('stopped');
    expect(result.step).toBeGreaterThanOrEqual(30);
    expect(result.step).toBeLessThan(10_000);
    expect(result.error).toBeNull();
  });

  it('fails with the step and term that went non-finite', async () => {
    const recorded = recordingHost();
    const result = await train(
      config({ steps: 500, logEvery: 5, sampleEvery: 1000, loss: { kind: 'lsgan' }, optimizerD: { kind: 'sgd', learningRate: 10 }, optimizerG: { kind: 'sgd', learningRate: 10 } }),
      recorded.host,
    );

    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/^(lossD|lossG|gradNormD|gradNormG) became (NaN|Infinity|-Infinity) at step \d+/);
    expect(result.step % 5).toBe(0);
    expect(recorded.events.some((event) => event.kind === 'error')).toBe(true);
  });
});
