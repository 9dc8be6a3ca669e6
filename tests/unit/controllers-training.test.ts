// Each adaptive controller in a short real training run on ring8 with the MLP that starts
// unbalanced (D learns 10× faster than G), checked from the controller events it sends.
import { describe, expect, it } from 'vitest';

import { train, type TrainerHost } from '../../src/main/training/trainer';
import { parseRunConfig, type RunConfigInput } from '../../src/shared/config';
import type { MetricPoint } from '../../src/shared/run';

interface ControllerEvent {
  step: number;
  message: string;
  data: Record<string, unknown>;
}

/** Trains a 200-step run with a strong D and returns its controller events and metrics. */
async function runUnbalanced(input: RunConfigInput): Promise<{ events: ControllerEvent[]; metrics: MetricPoint[] }> {
  const parsed = parseRunConfig({
    backend: 'wasm',
    steps: 200,
    logEvery: 10,
    sampleEvery: 1000,
    evalEvery: 100_000,
    batchSize: 64,
    model: { generator: { width: 32 }, discriminator: { width: 32 } },
    optimizerD: { learningRate: 1e-2 },
    optimizerG: { learningRate: 1e-3 },
    ...input,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));

  const events: ControllerEvent[] = [];
  const metrics: MetricPoint[] = [];
  const host: TrainerHost = {
    started: () => undefined,
    progress: () => undefined,
    metrics: (points) => metrics.push(...points),
    sample: () => undefined,
    event: (step, kind, message, data) => {
      if (kind === 'controller') events.push({ step, message, data: data ?? {} });
    },
    stopRequested: () => false,
    whenResumed: () => Promise.resolve(),
  };
  const result = await train(parsed.config, host);
  if (result.status !== 'completed') throw new Error(`run ended ${result.status}: ${result.error}`);
  return { events, metrics };
}

const series = (metrics: MetricPoint[], name: string) => metrics.filter((point) => point.name === name).map((point) => point.value);

describe('controllers in training', () => {
  it('step-ratio lowers nD for a strong D', async () => {
    const { events, metrics } = await runUnbalanced({ loss: { kind: 'minimax' }, nD: 5, controller: { kind: 'step-ratio' } });

    expect(events.length).toBeGreaterThan(0);
    expect(events[0].data).toMatchObject({ controller: 'step-ratio', knob: 'nD', from: 5, to: 4 });
    expect(events[0].message).toMatch(/stayed above 0\.8 for 3 logging steps/);
    const nD = series(metrics, 'nD');
    expect(nD[0]).toBe(5);
    expect(nD[nD.length - 1]).toBeLessThan(5);
  });

  it('r_t controller raises the noise for a D sure of reals', async () => {
    const { events, metrics } = await runUnbalanced({ nD: 3, controller: { kind: 'rt', rampSteps: 100 } });

    expect(events.length).toBeGreaterThan(0);
    expect(events[0].data).toMatchObject({ controller: 'rt', knob: 'instanceNoiseStd', from: 0 });
    expect(events[0].data.to as number).toBeGreaterThan(0);
    expect(events[0].data.rt as number).toBeGreaterThan(0.6);
    expect(Math.max(...series(metrics, 'instanceNoiseStd'))).toBeGreaterThan(0);
  });

  it('equilibrium k follows the gap', async () => {
    const { events, metrics } = await runUnbalanced({ nD: 3, controller: { kind: 'equilibrium', initialK: 1, lambdaK: 0.01 } });

    // D rejects generated points easily, so L_G > γ·L_real: the gap is negative and k falls from 1.
    expect(events.length).toBeGreaterThan(0);
    const first = events[0].data;
    expect(first).toMatchObject({ controller: 'equilibrium', knob: 'k', from: 1 });
    expect(first.gap as number).toBeLessThan(0);
    expect(first.to as number).toBeLessThan(1);
    expect(series(metrics, 'k')[0]).toBeLessThan(1);
  });
});
