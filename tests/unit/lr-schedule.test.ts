// Learning-rate schedules against values worked out by hand, and setting the rate on real
// tfjs optimizers.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from '../../src/main/training/backend';
import { learningRateMultiple } from '../../src/main/training/lr-schedule';
import { createOptimizer, getLearningRate, setLearningRate } from '../../src/main/training/optimizers';
import { lrScheduleSchema, type LrScheduleConfig } from '../../src/shared/config';

function schedule(input: Partial<LrScheduleConfig>): LrScheduleConfig {
  return lrScheduleSchema.parse(input);
}

describe('learning-rate multiple', () => {
  it('constant stays 1', () => {
    expect([1, 50, 101].map((step) => learningRateMultiple(schedule({}), step, 101))).toEqual([1, 1, 1]);
  });

  it('linear to a fraction', () => {
    // 101 steps: t = (step − 1)/100; 1 + (0.1 − 1)·t gives 1, 0.55 at step 51, 0.1 at step 101.
    const linear = schedule({ kind: 'linear', finalFraction: 0.1 });

    expect(learningRateMultiple(linear, 1, 101)).toBe(1);
    expect(learningRateMultiple(linear, 51, 101)).toBeCloseTo(0.55, 12);
    expect(learningRateMultiple(linear, 101, 101)).toBeCloseTo(0.1, 12);
  });

  it('cosine to zero', () => {
    // t = ½ at step 51 of 101: ½(1 + cos(π/2)) = ½; t = ¼ at step 26: ½(1 + cos(π/4)) ≈ 0.853553.
    const cosine = schedule({ kind: 'cosine' });

    expect(learningRateMultiple(cosine, 1, 101)).toBe(1);
    expect(learningRateMultiple(cosine, 26, 101)).toBeCloseTo(0.5 * (1 + Math.SQRT1_2), 12);
    expect(learningRateMultiple(cosine, 51, 101)).toBeCloseTo(0.5, 12);
    expect(learningRateMultiple(cosine, 101, 101)).toBeCloseTo(0, 12);
  });

  it('step decay by gamma', () => {
    // γ = 0.5 every 10 steps: steps 1–10 → 1, 11–20 → 0.5, 21 → 0.25.
    const step = schedule({ kind: 'step', stepSize: 10, gamma: 0.5 });

    expect([1, 10, 11, 20, 21].map((at) => learningRateMultiple(step, at, 100))).toEqual([1, 1, 0.5, 0.5, 0.25]);
  });

  it('one-step run ends at the final fraction', () => {
    expect(learningRateMultiple(schedule({ kind: 'linear', finalFraction: 0.2 }), 1, 1)).toBeCloseTo(0.2, 12);
  });

  it('invalid step is rejected', () => {
    expect(() => learningRateMultiple(schedule({}), 0, 10)).toThrow('Invalid step 0 for the learning-rate schedule: expected an integer from 1.');
  });
});

describe('setting the learning rate', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  const base = { learningRate: 0.1, beta1: 0.5, beta2: 0.999, momentum: 0 };

  it('sgd uses the new rate', () => {
    // ∂(2w)/∂w = 2: w = 1 − 0.1·2 = 0.8, then with rate 0.05: 0.8 − 0.05·2 = 0.7.
    const optimizer = createOptimizer({ ...base, kind: 'sgd' });
    const w = tf.variable(tf.scalar(1));
    const step = () => optimizer.minimize(() => tf.mul(2, w) as tf.Scalar);

    step();
    setLearningRate(optimizer, 0.05);
    step();

    expect(w.dataSync()[0]).toBeCloseTo(0.7, 6);
    expect(getLearningRate(optimizer)).toBe(0.05);
    tf.dispose(w);
    optimizer.dispose();
  });

  it('adam uses the new rate', () => {
    // Adam's first update moves by the rate (m̂/√v̂ = 1 for a constant gradient): 1 − 0.1 = 0.9,
    // then by the new rate 0.01 (m̂/√v̂ stays 1 for a constant gradient): 0.89.
    const optimizer = createOptimizer({ ...base, kind: 'adam' });
    const w = tf.variable(tf.scalar(1));
    const step = () => optimizer.minimize(() => tf.mul(2, w) as tf.Scalar);

    step();
    setLearningRate(optimizer, 0.01);
    step();

    expect(w.dataSync()[0]).toBeCloseTo(0.89, 5);
    tf.dispose(w);
    optimizer.dispose();
  });

  it('negative rate is rejected', () => {
    const optimizer = createOptimizer({ ...base, kind: 'rmsprop' });

    expect(() => setLearningRate(optimizer, -1)).toThrow('Invalid learning rate -1: expected a finite number of at least 0.');
    optimizer.dispose();
  });
});
