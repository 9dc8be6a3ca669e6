// R1 and R2 penalties on critics with known input gradients, the lazy-regularization rule and
// which penalty a config resolves to.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from '../../src/main/training/backend';
import { appliesOnUpdate, resolvePenalty, squaredGradientNorm, weightedPenalty } from '../../src/main/training/regularizers';
import { parseRunConfig, type RunConfig, type RunConfigInput } from '../../src/shared/config';

function config(input: RunConfigInput): RunConfig {
  const result = parseRunConfig(input);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

describe('squared gradient norm (R1, R2)', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('linear critic: ‖w‖² for every example', () => {
    // D(x) = w·x with w = [3, 4]: ∇x D = w, ‖w‖² = 25 for each example, so the mean is 25.
    const w = tf.tensor2d([3, 4], [2, 1]);
    const x = tf.tensor2d([[1, 2], [-3, 0.5], [0, 0]]);

    const value = squaredGradientNorm((input) => tf.matMul(input as tf.Tensor2D, w), x);

    expect(value.dataSync()[0]).toBeCloseTo(25, 4);
    tf.dispose([w, x, value]);
  });

  it('quadratic critic: mean of ‖x‖²', () => {
    // D(x) = ½‖x‖²: ∇x D = x, so the penalty is mean ‖x‖² = (5 + 0 + 25)/3 = 10.
    const x = tf.tensor2d([[1, 2], [0, 0], [3, 4]]);

    const value = squaredGradientNorm((input) => tf.mul(0.5, tf.sum(tf.square(input), 1, true)), x);

    expect(value.dataSync()[0]).toBeCloseTo(10, 4);
    tf.dispose([x, value]);
  });

  it('gradient reaches critic weights', () => {
    // E‖∇x D‖² = ‖w‖² for D(x) = w·x, so ∂/∂w = 2w = [6, 8].
    const w = tf.variable(tf.tensor2d([3, 4], [2, 1]));
    const x = tf.tensor2d([[1, 2], [-3, 0.5]]);

    const { value, grads } = tf.variableGrads(() => squaredGradientNorm((input) => tf.matMul(input as tf.Tensor2D, w), x), [w]);

    expect(value.dataSync()[0]).toBeCloseTo(25, 4);
    expect(Array.from(grads[w.name].dataSync())).toEqual([6, 8]);
    tf.dispose([w, x, value, grads[w.name]]);
  });

  it('weights: γ/2 for R1, λ for WGAN-GP, times the lazy interval', () => {
    const penalty = tf.scalar(4);

    const r1 = weightedPenalty({ kind: 'r1', weight: 10, every: 1 }, penalty);
    const lazyR2 = weightedPenalty({ kind: 'r2', weight: 10, every: 16 }, penalty);
    const gp = weightedPenalty({ kind: 'wgan-gp', weight: 10, every: 1 }, penalty);

    // 10/2 · 4 = 20; 10/2 · 16 · 4 = 320; 10 · 4 = 40.
    expect(r1.dataSync()[0]).toBe(20);
    expect(lazyR2.dataSync()[0]).toBe(320);
    expect(gp.dataSync()[0]).toBe(40);
    tf.dispose([penalty, r1, lazyR2, gp]);
  });
});

describe('penalty plan', () => {
  it('default config has no penalty', () => {
    expect(resolvePenalty(config({}))).toBeNull();
  });

  it('wgan-gp loss implies the WGAN-GP penalty', () => {
    expect(resolvePenalty(config({ loss: { kind: 'wgan-gp', gradientPenaltyWeight: 5 } }))).toEqual({ kind: 'wgan-gp', weight: 5, every: 1 });
  });

  it('explicit penalty wins over the loss', () => {
    const plan = resolvePenalty(config({ loss: { kind: 'wgan-gp' }, penalty: { kind: 'r1', weight: 0.1, every: 4 } }));

    expect(plan).toEqual({ kind: 'r1', weight: 0.1, every: 4 });
  });

  it('lazy interval picks every k-th update', () => {
    const plan = { kind: 'r1' as const, weight: 1, every: 4 };
    const applied = Array.from({ length: 10 }, (_, update) => update).filter((update) => appliesOnUpdate(plan, update));

    expect(applied).toEqual([0, 4, 8]);
  });
});
