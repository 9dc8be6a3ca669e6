// Optimizer factory: a scalar weight after two steps, against updates worked out by hand.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from '../../src/main/training/backend';
import { createOptimizer } from '../../src/main/training/optimizers';
import type { OptimizerConfig } from '../../src/shared/config';

interface OptimizerCase {
  name: string;
  config: OptimizerConfig;
  /** The loss of the weight w, which starts at 1. */
  loss: (w: tf.Variable) => tf.Scalar;
  /** w after one and after two steps. */
  expected: [number, number];
}

const base = { learningRate: 0.1, beta1: 0.5, beta2: 0.999, momentum: 0 };
const linear = (w: tf.Variable) => tf.mul(2, tf.sum(w)) as tf.Scalar; // ∂/∂w = 2
const quadratic = (w: tf.Variable) => tf.sum(tf.square(w)) as tf.Scalar; // ∂/∂w = 2w

const OPTIMIZER_CASES: OptimizerCase[] = [
  {
    name: 'sgd',
    config: { ...base, kind: 'sgd' },
    loss: linear,
    // w ← w − 0.1·2: 1 → 0.8 → 0.6
    expected: [0.8, 0.6],
  },
  {
    name: 'sgd with momentum',
    config: { ...base, kind: 'sgd', momentum: 0.9 },
    loss: linear,
    // a ← 0.9a + g, w ← w − 0.1a: a = 2, w = 0.8; a = 1.8 + 2 = 3.8, w = 0.8 − 0.38 = 0.42
    expected: [0.8, 0.42],
  },
  {
    name: 'adam',
    config: { ...base, kind: 'adam' },
    loss: quadratic,
    // Step 1: g = 2, m = 0.5·2 = 1, v = 0.001·4 = 0.004, m̂ = 1/0.5 = 2, v̂ = 0.004/0.001 = 4,
    //   w = 1 − 0.1·2/√4 = 0.9.
    // Step 2: g = 1.8, m = 0.5·1 + 0.5·1.8 = 1.4, m̂ = 1.4/0.75 = 1.866667,
    //   v = 0.999·0.004 + 0.001·3.24 = 0.007236, v̂ = 0.007236/(1 − 0.999²) = 3.619810,
    //   w = 0.9 − 0.1·1.866667/1.902580 = 0.801888. (β1 = 0.9 would give 0.800412.)
    expected: [0.9, 0.801888],
  },
  {
    name: 'rmsprop with momentum',
    config: { ...base, kind: 'rmsprop', momentum: 0.5 },
    loss: linear,
    // s ← 0.9s + 0.1g², a ← 0.5a + 0.1g/√s, w ← w − a.
    // Step 1: s = 0.4, a = 0.2/0.632456 = 0.316228, w = 0.683772.
    // Step 2: s = 0.36 + 0.4 = 0.76, a = 0.158114 + 0.2/0.871780 = 0.387530, w = 0.296242.
    expected: [0.683772, 0.296242],
  },
];

describe('createOptimizer', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it.each(OPTIMIZER_CASES)('$name: two steps', ({ config, loss, expected }) => {
    const w = tf.variable(tf.tensor1d([1]));
    const optimizer = createOptimizer(config);

    optimizer.minimize(() => loss(w), false, [w]);
    const afterOne = w.dataSync()[0];
    optimizer.minimize(() => loss(w), false, [w]);
    const afterTwo = w.dataSync()[0];

    expect(afterOne).toBeCloseTo(expected[0], 5);
    expect(afterTwo).toBeCloseTo(expected[1], 5);
    optimizer.dispose();
    w.dispose();
  });

  it('invalid learning rate is rejected', () => {
    expect(() => createOptimizer({ ...base, kind: 'adam', learningRate: -1 })).toThrow(
      /Invalid learning rate -1: expected a finite number above 0/,
    );
  });
});
