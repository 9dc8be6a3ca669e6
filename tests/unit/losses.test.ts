// GAN losses against values worked out by hand, and the WGAN-GP gradient penalty on critics
// with known input gradients and on the real model builders.
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from '../../src/main/training/backend';
import { getLoss } from '../../src/main/training/losses';
import { gradientPenalty } from '../../src/main/training/regularizers';
import { buildDiscriminator } from '../../src/main/training/models';
import type { LossKind, ModelConfig } from '../../src/shared/config';

const LN2 = Math.log(2);
const LN3 = Math.log(3);

interface LossCase {
  name: string;
  kind: LossKind;
  real: number[];
  fake: number[];
  expectedDiscriminator: number;
  expectedGenerator: number;
  /** One-sided label smoothing: the real target t, 1 when absent. */
  realLabel?: number;
}

// softplus(t) = ln(1 + eᵗ); −ln σ(t) = softplus(−t); −ln(1 − σ(t)) = softplus(t).
const LOSS_CASES: LossCase[] = [
  {
    name: 'minimax',
    kind: 'minimax',
    // σ(0) = 1/2 and σ(ln 3) = 3/4, so −ln σ(r) = [ln 2, ln 4/3]; σ(−ln 3) = 1/4, so −ln(1 − σ(f)) = [ln 2, ln 4/3].
    real: [0, LN3],
    fake: [0, -LN3],
    // D = (ln 2 + ln 4/3)/2 + (ln 2 + ln 4/3)/2 = ln 8/3 ≈ 0.980829
    expectedDiscriminator: Math.log(8 / 3),
    // G = mean ln(1 − σ(f)) = −(ln 2 + ln 4/3)/2 = −½ ln 8/3 ≈ −0.490415
    expectedGenerator: -0.5 * Math.log(8 / 3),
  },
  {
    name: 'non-saturating',
    kind: 'ns',
    real: [0, LN3],
    fake: [0, -LN3],
    // D as minimax: ln 8/3
    expectedDiscriminator: Math.log(8 / 3),
    // G = mean −ln σ(f) = (−ln ½ − ln ¼)/2 = (ln 2 + 2 ln 2)/2 = 1.5 ln 2 ≈ 1.039721
    expectedGenerator: 1.5 * LN2,
  },
  {
    name: 'non-saturating, large logits, D right',
    kind: 'ns',
    real: [100],
    fake: [-100],
    // D = softplus(−100) + softplus(−100) ≈ 2·e⁻¹⁰⁰ ≈ 0
    expectedDiscriminator: 0,
    // G = softplus(100) = 100 + ln(1 + e⁻¹⁰⁰) ≈ 100
    expectedGenerator: 100,
  },
  {
    name: 'minimax, large logits, D wrong',
    kind: 'minimax',
    real: [-100],
    fake: [100],
    // D = softplus(100) + softplus(100) ≈ 200
    expectedDiscriminator: 200,
    // G = −softplus(100) ≈ −100
    expectedGenerator: -100,
  },
  {
    name: 'wgan-gp',
    kind: 'wgan-gp',
    real: [1, 2, 3],
    fake: [-1, 0, 4],
    // D = mean f − mean r = 3/3 − 6/3 = −1
    expectedDiscriminator: -1,
    // G = −mean f = −1
    expectedGenerator: -1,
  },
  {
    name: 'wgan',
    kind: 'wgan',
    real: [1, 2, 3],
    fake: [-1, 0, 4],
    // The same pair as wgan-gp: D = mean f − mean r = 1 − 2 = −1; G = −mean f = −1.
    expectedDiscriminator: -1,
    expectedGenerator: -1,
  },
  {
    name: 'wgan, negative critic values',
    kind: 'wgan',
    real: [-2, -4],
    fake: [0.5, 1.5],
    // D = mean f − mean r = 1 − (−3) = 4; G = −mean f = −1.
    expectedDiscriminator: 4,
    expectedGenerator: -1,
  },
  {
    name: 'ragan',
    kind: 'ragan',
    // r̄ = 2, f̄ = 1. D: softplus(f̄ − r) = softplus([0, −2]) and softplus(f − r̄) = softplus([−2, 0]),
    // so D = ½(ln 2 + ln(1 + e⁻²)) · 2 = ln 2 + ln(1 + e⁻²) ≈ 0.820075.
    real: [1, 3],
    fake: [0, 2],
    expectedDiscriminator: LN2 + Math.log(1 + Math.exp(-2)),
    // G: softplus(r̄ − f) = softplus([2, 0]) and softplus(r − f̄) = softplus([0, 2]),
    // so G = ln(1 + e²) + ln 2 ≈ 2.820075.
    expectedGenerator: Math.log(1 + Math.exp(2)) + LN2,
  },
  {
    name: 'ragan, D indifferent',
    kind: 'ragan',
    // All logits equal: every difference is 0, each of the four means is ln 2.
    real: [0.7, 0.7],
    fake: [0.7, 0.7],
    expectedDiscriminator: 2 * LN2,
    expectedGenerator: 2 * LN2,
  },
  {
    name: 'ns with label smoothing 0.9',
    kind: 'ns',
    realLabel: 0.9,
    // Real term: 0.9·softplus(−ln 3) + 0.1·softplus(ln 3) = 0.9·ln 4/3 + 0.1·ln 4.
    // Fake term: softplus(−ln 3) = ln 4/3. D = 1.9·ln 4/3 + 0.1·ln 4 ≈ 0.685225.
    real: [LN3],
    fake: [-LN3],
    expectedDiscriminator: 1.9 * Math.log(4 / 3) + 0.1 * Math.log(4),
    // G is unchanged by smoothing: softplus(ln 3) = ln 4.
    expectedGenerator: Math.log(4),
  },
  {
    name: 'minimax with label smoothing 0.8',
    kind: 'minimax',
    realLabel: 0.8,
    // r = 0: 0.8·ln 2 + 0.2·ln 2 = ln 2, smoothing has no effect at logit 0. f = 0: ln 2. D = 2 ln 2.
    real: [0, 0],
    fake: [0, 0],
    expectedDiscriminator: 2 * LN2,
    // G = −softplus(0) = −ln 2.
    expectedGenerator: -LN2,
  },
  {
    name: 'hinge',
    kind: 'hinge',
    real: [2, 0.5, -1],
    fake: [-2, 0, 1],
    // relu(1 − r) = [0, 0.5, 2] → mean 5/6; relu(1 + f) = [0, 1, 2] → mean 1; D = 11/6 ≈ 1.833333
    expectedDiscriminator: 11 / 6,
    // G = −mean f = −(−2 + 0 + 1)/3 = 1/3
    expectedGenerator: 1 / 3,
  },
  {
    name: 'lsgan',
    kind: 'lsgan',
    real: [1, 0, 3],
    fake: [0, 1, -2],
    // (r − 1)² = [0, 1, 4] → ½·5/3 = 5/6; f² = [0, 1, 4] → ½·5/3 = 5/6; D = 5/3
    expectedDiscriminator: 5 / 3,
    // (f − 1)² = [1, 0, 9] → ½·10/3 = 5/3
    expectedGenerator: 5 / 3,
  },
];

/** Logits as D returns them: one column, shape [batch, 1]. */
function logits(values: number[]): tf.Tensor2D {
  return tf.tensor2d(values, [values.length, 1]);
}

describe('GAN losses', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it.each(LOSS_CASES)('$name: discriminator and generator', (testCase) => {
    const loss = getLoss(testCase.kind, { realLabel: testCase.realLabel });
    const real = logits(testCase.real);
    const fake = logits(testCase.fake);

    const discriminatorLoss = loss.discriminator(real, fake);
    const generatorLoss = loss.generator(fake, real);

    expect(discriminatorLoss.shape).toEqual([]);
    expect(generatorLoss.shape).toEqual([]);
    expect(discriminatorLoss.dataSync()[0]).toBeCloseTo(testCase.expectedDiscriminator, 5);
    expect(generatorLoss.dataSync()[0]).toBeCloseTo(testCase.expectedGenerator, 5);
    tf.dispose([real, fake, discriminatorLoss, generatorLoss]);
  });

  it.each(LOSS_CASES)('$name: terms sum to the loss', (testCase) => {
    const loss = getLoss(testCase.kind, { realLabel: testCase.realLabel });
    const real = logits(testCase.real);
    const fake = logits(testCase.fake);

    const terms = loss.discriminatorTerms(real, fake);

    expect(terms.real.dataSync()[0] + terms.fake.dataSync()[0]).toBeCloseTo(testCase.expectedDiscriminator, 5);
    tf.dispose([real, fake, terms.real, terms.fake]);
  });

  it('ns real term on a real batch', () => {
    // softplus(−r) at r = ln 3 is ln 4/3; with target 0.9, 0.9·ln 4/3 + 0.1·ln 4.
    const real = logits([LN3]);
    const fake = logits([0]);

    const plain = getLoss('ns').discriminatorTerms(real, fake);
    const smoothed = getLoss('ns', { realLabel: 0.9 }).discriminatorTerms(real, fake);

    expect(plain.real.dataSync()[0]).toBeCloseTo(Math.log(4 / 3), 5);
    expect(smoothed.real.dataSync()[0]).toBeCloseTo(0.9 * Math.log(4 / 3) + 0.1 * Math.log(4), 5);
    expect(smoothed.fake.dataSync()[0]).toBeCloseTo(LN2, 5);
    tf.dispose([real, fake, plain.real, plain.fake, smoothed.real, smoothed.fake]);
  });

  it('ragan generator needs real logits', () => {
    const fake = logits([0]);

    expect(getLoss('ragan').needsRealLogits).toBe(true);
    expect(getLoss('ns').needsRealLogits).toBe(false);
    expect(() => getLoss('ragan').generator(fake)).toThrow(/needs D's logits on a real batch/);
    fake.dispose();
  });

  it('unknown kind is rejected', () => {
    expect(() => getLoss('began' as LossKind)).toThrow(/Unknown loss kind "began": expected one of minimax, ns, wgan, wgan-gp, hinge, lsgan, ragan/);
  });

  it('invalid real label is rejected', () => {
    expect(() => getLoss('ns', { realLabel: 1.5 })).toThrow('Invalid real label 1.5: expected a number above 0 and at most 1');
    expect(() => getLoss('ns', { realLabel: 0 })).toThrow('Invalid real label 0');
  });

  it('losses leave no tensors behind', () => {
    const real = logits([0.5, -1]);
    const fake = logits([2, 0]);
    const before = tf.memory().numTensors;

    for (const testCase of LOSS_CASES) {
      const loss = getLoss(testCase.kind, { realLabel: testCase.realLabel });
      const terms = loss.discriminatorTerms(real, fake);
      tf.dispose([loss.discriminator(real, fake), loss.generator(fake, real), terms.real, terms.fake]);
    }

    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([real, fake]);
  });
});

describe('WGAN-GP gradient penalty', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('linear critic: norm per example', () => {
    // D(x) = w·x with w = [3, 4]: ∇x D = w for every example, ‖w‖ = 5, so each example adds
    // (5 − 1)² = 16 and the mean is 16. A norm over the whole batch would give (5√2 − 1)² ≈ 37.86.
    const w = tf.tensor2d([3, 4], [2, 1]);
    const critic = (x: tf.Tensor) => tf.matMul(x as tf.Tensor2D, w);
    const real = tf.tensor2d([[1, 2], [-3, 0.5]]);
    const fake = tf.tensor2d([[0, 0], [7, -1]]);
    const alpha = tf.tensor1d([0.3, 0.9]);

    const penalty = gradientPenalty(critic, real, fake, alpha);

    expect(penalty.dataSync()[0]).toBeCloseTo(16, 4);
    tf.dispose([w, real, fake, alpha, penalty]);
  });

  it('quadratic critic: interpolates', () => {
    // D(x) = ½‖x‖²: ∇x D = x̂, so the norm is ‖x̂‖ with x̂ = α·x + (1 − α)·x̃.
    // Example 1: α = 1, x̂ = [2, 0], ‖x̂‖ = 2, (2 − 1)² = 1.
    // Example 2: α = 0.25, x̂ = 0.25·[0, 0] + 0.75·[0, 4] = [0, 3], (3 − 1)² = 4. Mean = 2.5.
    const critic = (x: tf.Tensor) => tf.mul(0.5, tf.sum(tf.square(x), 1, true));
    const real = tf.tensor2d([[2, 0], [0, 0]]);
    const fake = tf.tensor2d([[5, 5], [0, 4]]);
    const alpha = tf.tensor1d([1, 0.25]);

    const penalty = gradientPenalty(critic, real, fake, alpha);

    expect(penalty.dataSync()[0]).toBeCloseTo(2.5, 4);
    tf.dispose([real, fake, alpha, penalty]);
  });

  it('image-shaped batch with broadcast alpha', () => {
    // D(x) = 2·Σ x over a 2×2×1 example: ∇ = 2 in each of 4 pixels, norm √16 = 4, (4 − 1)² = 9.
    const critic = (x: tf.Tensor) => tf.mul(2, tf.sum(x, [1, 2, 3]));
    const real = tf.ones([3, 2, 2, 1]);
    const fake = tf.zeros([3, 2, 2, 1]);
    const alpha = tf.tensor4d([0.1, 0.5, 0.9], [3, 1, 1, 1]);

    const penalty = gradientPenalty(critic, real, fake, alpha);

    expect(penalty.dataSync()[0]).toBeCloseTo(9, 4);
    tf.dispose([real, fake, alpha, penalty]);
  });

  it('gradient reaches critic weights', () => {
    // P(w) = (‖w‖ − 1)² for D(x) = w·x, so ∂P/∂w = 2(‖w‖ − 1)·w/‖w‖ = 2·4·[3, 4]/5 = [4.8, 6.4].
    // tfjs must differentiate through the tf.grad inside the penalty to get this.
    const w = tf.variable(tf.tensor2d([3, 4], [2, 1]));
    const real = tf.tensor2d([[1, 2], [-3, 0.5]]);
    const fake = tf.tensor2d([[0, 0], [7, -1]]);
    const alpha = tf.tensor1d([0.3, 0.9]);

    const { value, grads } = tf.variableGrads(() => gradientPenalty((x) => tf.matMul(x as tf.Tensor2D, w), real, fake, alpha), [w]);

    expect(value.dataSync()[0]).toBeCloseTo(16, 4);
    const gradient = grads[w.name].dataSync();
    expect(gradient[0]).toBeCloseTo(4.8, 4);
    expect(gradient[1]).toBeCloseTo(6.4, 4);
    tf.dispose([w, real, fake, alpha, value, grads[w.name]]);
  });

  it('mismatched batches are rejected', () => {
    const critic = (x: tf.Tensor) => tf.sum(x, 1);
    const real = tf.zeros([2, 2]);
    const fake = tf.zeros([3, 2]);
    const alpha = tf.zeros([2]);

    expect(() => gradientPenalty(critic, real, fake, alpha)).toThrow(/real batch shape \[2, 2\] differs from generated batch shape \[3, 2\]/);
    expect(() => gradientPenalty(critic, real, real, tf.zeros([3]))).toThrow(/alpha has 3 values, expected one per example \(2\)/);
    tf.dispose([real, fake, alpha]);
  });
});

/** Deterministic values in [-1, 1), the same on every backend. */
function randomValues(count: number, seed: string): Float32Array {
  const random = seedrandom(seed);
  return Float32Array.from({ length: count }, () => 2 * random() - 1);
}

/** ∂(λ·penalty)/∂(D's weights) for a freshly built D, flattened into one array. */
function penaltyWeightGradients(model: ModelConfig, dataShape: number[]): Float32Array {
  const discriminator = buildDiscriminator(model, dataShape, 11);
  const weights = discriminator.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const batch = 3;
  const exampleSize = dataShape.reduce((product, size) => product * size, 1);

  const flat = tf.tidy(() => {
    const real = tf.tensor(randomValues(batch * exampleSize, 'real'), [batch, ...dataShape]);
    const fake = tf.tensor(randomValues(batch * exampleSize, 'fake'), [batch, ...dataShape]);
    const alpha = tf.tensor1d([0.2, 0.5, 0.8]);
    const critic = (x: tf.Tensor) => discriminator.apply(x, { training: true }) as tf.Tensor;

    const { grads } = tf.variableGrads(() => tf.mul(10, gradientPenalty(critic, real, fake, alpha)) as tf.Scalar, weights);
    // The output layer's bias does not change ∇x D, so tfjs returns no gradient for it.
    return tf.concat(weights.map((weight) => tf.reshape(grads[weight.name] ?? tf.zerosLike(weight), [-1])));
  });

  const values = flat.dataSync() as Float32Array;
  flat.dispose();
  discriminator.dispose();
  return values;
}

const PENALTY_MODELS: { name: string; model: ModelConfig; dataShape: number[] }[] = [
  {
    name: 'MLP',
    model: {
      architecture: 'mlp',
      latentSize: 4,
      generator: { width: 8, depth: 2, normalization: 'none' },
      discriminator: { width: 8, depth: 2, normalization: 'none' },
    },
    dataShape: [2],
  },
  {
    name: 'DCGAN with layer norm',
    model: {
      architecture: 'dcgan',
      latentSize: 4,
      generator: { width: 2, depth: 0, normalization: 'none' },
      discriminator: { width: 4, depth: 1, normalization: 'layer' },
    },
    dataShape: [28, 28, 1],
  },
];

describe('gradient penalty through discriminators', () => {
  it.each(PENALTY_MODELS)('$name: wasm matches cpu', async ({ model, dataShape }) => {
    await selectBackend('cpu');
    const expected = penaltyWeightGradients(model, dataShape);
    await selectBackend('wasm');
    const actual = penaltyWeightGradients(model, dataShape);

    expect(actual.length).toBe(expected.length);
    expect(expected.every(Number.isFinite)).toBe(true);
    expect(expected.some((value) => Math.abs(value) > 1e-3)).toBe(true);
    let maxDifference = 0;
    let maxMagnitude = 0;
    for (let i = 0; i < expected.length; i++) {
      maxDifference = Math.max(maxDifference, Math.abs(actual[i] - expected[i]));
      maxMagnitude = Math.max(maxMagnitude, Math.abs(expected[i]));
    }
    // Relative to the largest gradient: second derivatives sum many float32 products.
    expect(maxDifference / Math.max(1, maxMagnitude)).toBeLessThan(1e-4);
  });
});
