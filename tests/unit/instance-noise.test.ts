// Instance-noise schedules against hand-computed values, and the noise itself.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from '../../src/main/training/backend';
import { addInstanceNoise, scheduledNoiseStd } from '../../src/main/training/instance-noise';
import { instanceNoiseSchema, type InstanceNoiseConfig } from '../../src/shared/config';

function noise(input: Partial<InstanceNoiseConfig>): InstanceNoiseConfig {
  return instanceNoiseSchema.parse(input);
}

describe('scheduled noise std', () => {
  it('off by default', () => {
    expect(scheduledNoiseStd(noise({}), 1, 100)).toBe(0);
  });

  it('linear over the whole run', () => {
    // N = 100 steps: t = (step − 1)/100; 0.4·(1 − t) is 0.4, 0.2 at step 51 and 0 from step 101.
    const linear = noise({ std: 0.4 });

    expect(scheduledNoiseStd(linear, 1, 100)).toBe(0.4);
    expect(scheduledNoiseStd(linear, 51, 100)).toBeCloseTo(0.2, 12);
    expect(scheduledNoiseStd(linear, 100, 100)).toBeCloseTo(0.004, 12);
    expect(scheduledNoiseStd(linear, 101, 200)).toBe(0.4 * (1 - 100 / 200));
  });

  it('linear over annealSteps, then 0', () => {
    const short = noise({ std: 1, annealSteps: 10 });

    expect(scheduledNoiseStd(short, 6, 1000)).toBeCloseTo(0.5, 12);
    expect(scheduledNoiseStd(short, 11, 1000)).toBe(0);
    expect(scheduledNoiseStd(short, 500, 1000)).toBe(0);
  });

  it('cosine and constant', () => {
    // Cosine at t = ½ (step 6 of N = 10): ½(1 + cos(π/2)) = ½.
    expect(scheduledNoiseStd(noise({ std: 2, schedule: 'cosine', annealSteps: 10 }), 6, 100)).toBeCloseTo(1, 12);
    expect(scheduledNoiseStd(noise({ std: 2, schedule: 'constant' }), 99, 100)).toBe(2);
  });
});

describe('instance noise', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('has the requested std and is seeded', () => {
    const x = tf.fill([20_000], 3);

    const first = addInstanceNoise(x, 0.5, 42);
    const second = addInstanceNoise(x, tf.scalar(0.5), 42);
    const { mean, variance } = tf.moments(first);

    expect(mean.dataSync()[0]).toBeCloseTo(3, 1);
    // The seed fixes the draw; the sample std of 20,000 draws has a standard error of about 0.0025.
    expect(Math.sqrt(variance.dataSync()[0])).toBeCloseTo(0.5, 1);
    expect(Array.from(second.dataSync())).toEqual(Array.from(first.dataSync()));
    tf.dispose([x, first, second, mean, variance]);
  });
});
