// Balancing techniques in real training runs on ring8: tensor hygiene, determinism, the
// statistics they log, EMA samples and WGAN weight clipping.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { selectBackend } from '../../src/main/training/backend';
import { GanStep } from '../../src/main/training/gan-step';
import { train, type TrainerHost } from '../../src/main/training/trainer';
import { parseRunConfig, type RunConfig, type RunConfigInput } from '../../src/shared/config';
import type { MetricPoint } from '../../src/shared/run';

function config(input: RunConfigInput): RunConfig {
  const result = parseRunConfig({
    backend: 'wasm',
    sampleEvery: 1000,
    evalEvery: 100_000,
    batchSize: 64,
    model: { generator: { width: 32 }, discriminator: { width: 32 } },
    ...input,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

function recordingHost() {
  const metrics: MetricPoint[] = [];
  const samples: { step: number; kind: string; points?: number }[] = [];
  const events: { step: number; kind: string; message: string }[] = [];
  const tensorCounts: number[] = [];
  const host: TrainerHost = {
    started: () => undefined,
    progress: () => undefined,
    metrics: (points) => {
      metrics.push(...points);
      tensorCounts.push(tf.memory().numTensors);
    },
    sample: (step, kind, _png, points) => samples.push({ step, kind, points: points?.generated.length }),
    event: (step, kind, message) => events.push({ step, kind, message }),
    stopRequested: () => false,
    whenResumed: () => Promise.resolve(),
  };
  return { host, metrics, samples, events, tensorCounts };
}

const valuesOf = (points: MetricPoint[], name: string) => points.filter((point) => point.name === name).map((point) => point.value);

describe('balancing techniques in training', () => {
  it('spectral norm, EMA and lazy R1 keep the tensor count flat', async () => {
    const recorded = recordingHost();
    const before = tf.memory().numTensors;
    const runConfig = config({
      steps: 200,
      logEvery: 10,
      sampleEvery: 100,
      spectralNorm: { discriminator: true, generator: true },
      emaGenerator: { enabled: true, decay: 0.99 },
      penalty: { kind: 'r1', weight: 1, every: 4 },
      featureMatching: { weight: 0.5 },
      instanceNoise: { std: 0.1 },
      controller: { kind: 'rt' },
      lrSchedule: { discriminator: { kind: 'cosine' } },
    });

    const result = await train(runConfig, recorded.host);

    expect(result.status).toBe('completed');
    const afterWarmUp = recorded.tensorCounts.slice(2);
    expect(afterWarmUp.length).toBeGreaterThan(10);
    expect(Math.max(...afterWarmUp)).toBe(Math.min(...afterWarmUp));
    expect(result.tensorCount).toBe(before);
    // EMA snapshots beside G's at steps 0, 100 and 200.
    expect(recorded.samples.filter((sample) => sample.kind === 'points-ema').map((sample) => sample.step)).toEqual([0, 100, 200]);
    expect(recorded.samples.filter((sample) => sample.kind === 'points').map((sample) => sample.step)).toEqual([0, 100, 200]);
    for (const name of ['gradientPenalty', 'featureMatching', 'instanceNoiseStd', 'rt', 'lrD', 'lrG']) {
      expect(valuesOf(recorded.metrics, name)).toHaveLength(20);
    }
  });

  it('reproduces a run with every technique on', async () => {
    const runConfig = config({
      steps: 40,
      logEvery: 10,
      seed: 3,
      loss: { kind: 'ragan' },
      spectralNorm: { discriminator: true },
      emaGenerator: { enabled: true },
      penalty: { kind: 'r2', every: 2 },
      instanceNoise: { std: 0.2 },
      controller: { kind: 'equilibrium', initialK: 0.5 },
    });
    const first = recordingHost();
    const second = recordingHost();

    await train(runConfig, first.host);
    await train(runConfig, second.host);

    expect(valuesOf(first.metrics, 'lossD')).toHaveLength(4);
    expect(valuesOf(second.metrics, 'lossD')).toEqual(valuesOf(first.metrics, 'lossD'));
    expect(valuesOf(second.metrics, 'k')).toEqual(valuesOf(first.metrics, 'k'));
  });

  it('logs r_t, saturation, Wasserstein estimate and scheduled rates', async () => {
    const logistic = recordingHost();
    const wasserstein = recordingHost();

    await train(config({ steps: 20, logEvery: 10, loss: { kind: 'minimax' }, lrSchedule: { generator: { kind: 'linear', finalFraction: 0.5 } } }), logistic.host);
    await train(config({ steps: 20, logEvery: 10, loss: { kind: 'wgan' } }), wasserstein.host);

    for (const value of [...valuesOf(logistic.metrics, 'rt'), ...valuesOf(logistic.metrics, 'dSaturated')]) {
      expect(value).toBeGreaterThanOrEqual(-1);
      expect(value).toBeLessThanOrEqual(1);
    }
    expect(valuesOf(logistic.metrics, 'dSaturated')).toHaveLength(2);
    expect(valuesOf(logistic.metrics, 'wassersteinEstimate')).toEqual([]);
    // Linear from 1e-3 to 0.5e-3 over 20 steps: at step 10 the multiple is 1 − 0.5·9/19.
    expect(valuesOf(logistic.metrics, 'lrG')[0]).toBeCloseTo(1e-3 * (1 - (0.5 * 9) / 19), 12);
    expect(valuesOf(logistic.metrics, 'lrG')[1]).toBeCloseTo(0.5e-3, 12);
    expect(valuesOf(logistic.metrics, 'lrD')).toEqual([1e-3, 1e-3]);
    const estimates = valuesOf(wasserstein.metrics, 'wassersteinEstimate');
    expect(estimates).toEqual([0, 1].map((i) => valuesOf(wasserstein.metrics, 'dReal')[i] - valuesOf(wasserstein.metrics, 'dFake')[i]).map((value) => expect.closeTo(value, 5)));
    expect(valuesOf(wasserstein.metrics, 'dSaturated')).toEqual([]);
  });

  it('sends pre-flight warnings at step 0', async () => {
    const recorded = recordingHost();

    await train(config({ steps: 10, logEvery: 10, loss: { kind: 'hinge' }, realLabel: 0.9 }), recorded.host);

    const warnings = recorded.events.filter((event) => event.kind === 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].step).toBe(0);
    expect(warnings[0].message).toMatch(/^realLabel 0\.9 has no effect/);
  });
});

describe('WGAN weight clipping', () => {
  it('keeps every D weight within ±c', async () => {
    await selectBackend('wasm');
    const gan = new GanStep(config({ loss: { kind: 'wgan' }, wganClip: 0.02, nD: 2, optimizerD: { learningRate: 0.05 } }), [2]);
    let seed = 1;
    const source = (batchSize: number) => Float32Array.from({ length: 2 * batchSize }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 4 - 2);

    for (let step = 1; step <= 5; step++) gan.run(step, source, false);

    const weights = gan.discriminator.trainableWeights.flatMap((weight) => Array.from(weight.read().dataSync()));
    expect(Math.max(...weights.map(Math.abs))).toBeLessThanOrEqual(0.02 + 1e-7);
    // With a learning rate of 0.05 the weights reach the bound.
    expect(Math.max(...weights.map(Math.abs))).toBeGreaterThan(0.019);
    gan.dispose();
  });
});
