// LayerNorm: hand-computed values, agreement with tf.layers.layerNormalization on the cpu backend
// (output, first and second derivatives), and a gradient penalty through a layer-normalized
// DCGAN critic at batch 64 on wasm, which aborted with tf.layers.layerNormalization.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from '../../src/main/training/backend';
import { LayerNorm } from '../../src/main/training/layer-norm';
import { buildDiscriminator } from '../../src/main/training/models';
import { gradientPenalty } from '../../src/main/training/regularizers';
import type { ModelConfig } from '../../src/shared/config';

const EPSILON = 1e-5;

/** Largest |a − b| over all entries. */
function maxAbsDifference(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

/** Largest |a| over all entries, to scale a tolerance. */
function maxAbs(a: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(a)).dataSync()[0]);
}

/** Builds our layer and the tfjs one for `shape`, both with the same random γ and β. */
function layerPair(shape: number[], axis: number[], seed: number): { ours: tf.layers.Layer; reference: tf.layers.Layer } {
  const ours = new LayerNorm({ axis, epsilon: EPSILON });
  const reference = tf.layers.layerNormalization({ axis, epsilon: EPSILON });
  ours.build(shape);
  reference.build(shape);

  const weights = ours.getWeights().map((weight, index) => tf.randomNormal(weight.shape, index === 0 ? 1 : 0, 0.5, 'float32', seed + index));
  ours.setWeights(weights);
  reference.setWeights(weights);
  tf.dispose(weights);
  return { ours, reference };
}

/** Returns the trainable tf.Variables of a layer, in weight order (gamma, beta). */
function variablesOf(layer: tf.layers.Layer): tf.Variable[] {
  return layer.trainableWeights.map((weight) => weight.read() as tf.Variable);
}

/** Returns the gradient of `loss` with respect to the layer's gamma and beta, in that order. */
function weightGradients(layer: tf.layers.Layer, loss: () => tf.Scalar): tf.Tensor[] {
  const variables = variablesOf(layer);
  const { value, grads } = tf.variableGrads(loss, variables);
  value.dispose();
  return variables.map((variable) => grads[variable.name]);
}

const CASES = [
  { name: 'image axes [1, 2, 3]', shape: [3, 4, 4, 5], axis: [1, 2, 3] },
  { name: 'feature axis [-1]', shape: [4, 6], axis: [-1] },
];

describe('LayerNorm on cpu', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });

  afterEach(() => {
    tf.disposeVariables();
  });

  it('hand-computed output', () => {
    // x = [0, 0, 4, 4] has μ = 2 and σ² = 4. With ε = 5, √(σ² + ε) = 3, so x̂ = [−2/3, −2/3, 2/3, 2/3].
    // y = γ·x̂ + β with γ = [1, 2, 3, 4] and β = [0.5, 0.5, 0.5, 0.5].
    const layer = new LayerNorm({ axis: [-1], epsilon: 5 });
    layer.build([1, 4]);
    const gamma = tf.tensor1d([1, 2, 3, 4]);
    const beta = tf.fill([4], 0.5);
    layer.setWeights([gamma, beta]);
    const x = tf.tensor2d([[0, 0, 4, 4]]);

    const y = layer.apply(x) as tf.Tensor;

    const values = Array.from(y.dataSync());
    const expected = [0.5 - 2 / 3, 0.5 - 4 / 3, 0.5 + 2, 0.5 + 8 / 3];
    for (const [index, value] of values.entries()) expect(value).toBeCloseTo(expected[index], 5);
    tf.dispose([gamma, beta, x, y]);
  });

  it('weights match tfjs layer norm', () => {
    const { ours, reference } = layerPair([2, 7, 7, 8], [1, 2, 3], 1);

    expect(ours.getWeights().map((weight) => weight.shape)).toEqual([
      [7, 7, 8],
      [7, 7, 8],
    ]);
    expect(ours.getWeights().map((weight) => weight.shape)).toEqual(reference.getWeights().map((weight) => weight.shape));
    expect(ours.trainableWeights.map((weight) => weight.originalName.split('/').at(-1))).toEqual(['gamma', 'beta']);
  });

  it.each(CASES)('$name: output matches tfjs', ({ shape, axis }) => {
    const { ours, reference } = layerPair(shape, axis, 2);
    const x = tf.randomNormal(shape, 3, 2, 'float32', 3);

    const actual = ours.apply(x) as tf.Tensor;
    const expected = reference.apply(x) as tf.Tensor;

    expect(actual.shape).toEqual(expected.shape);
    expect(maxAbsDifference(actual, expected)).toBeLessThan(1e-5 * maxAbs(expected));
    tf.dispose([x, actual, expected]);
  });

  it.each(CASES)('$name: first derivatives match tfjs', ({ shape, axis }) => {
    const { ours, reference } = layerPair(shape, axis, 4);
    const x = tf.randomNormal(shape, 0, 1, 'float32', 5);
    const outputWeights = tf.randomNormal(shape, 0, 1, 'float32', 6);
    const objective = (layer: tf.layers.Layer) => (input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input) as tf.Tensor, outputWeights)) as tf.Scalar;

    const inputGradient = tf.grad(objective(ours))(x);
    const referenceInputGradient = tf.grad(objective(reference))(x);
    const gradients = weightGradients(ours, () => objective(ours)(x));
    const referenceGradients = weightGradients(reference, () => objective(reference)(x));

    expect(maxAbsDifference(inputGradient, referenceInputGradient)).toBeLessThan(1e-4 * maxAbs(referenceInputGradient));
    expect(gradients).toHaveLength(2);
    for (const [index, gradient] of gradients.entries()) {
      expect(maxAbsDifference(gradient, referenceGradients[index])).toBeLessThan(1e-4 * maxAbs(referenceGradients[index]));
    }
    tf.dispose([x, outputWeights, inputGradient, referenceInputGradient, ...gradients, ...referenceGradients]);
  });

  it.each(CASES)('$name: gradient-penalty derivatives match tfjs', ({ shape, axis }) => {
    const { ours, reference } = layerPair(shape, axis, 7);
    const real = tf.randomNormal(shape, 0, 1, 'float32', 8);
    const fake = tf.randomNormal(shape, 0.5, 1, 'float32', 9);
    const alpha = tf.randomUniform([shape[0]], 0, 1, 'float32', 10);
    const outputWeights = tf.randomNormal(shape.slice(1), 0, 1, 'float32', 11);
    const exampleAxes = shape.slice(1).map((_, index) => index + 1);
    // A square rather than LeakyReLU, whose input gradient does not depend on β (only its mask does).
    const critic = (layer: tf.layers.Layer) => (x: tf.Tensor) => tf.sum(tf.mul(tf.square(layer.apply(x) as tf.Tensor), outputWeights), exampleAxes);

    const penalty = gradientPenalty(critic(ours), real, fake, alpha);
    const referencePenalty = gradientPenalty(critic(reference), real, fake, alpha);
    const gradients = weightGradients(ours, () => gradientPenalty(critic(ours), real, fake, alpha));
    const referenceGradients = weightGradients(reference, () => gradientPenalty(critic(reference), real, fake, alpha));

    expect(penalty.dataSync()[0]).toBeCloseTo(referencePenalty.dataSync()[0], 3);
    expect(gradients).toHaveLength(2);
    for (const [index, gradient] of gradients.entries()) {
      expect(maxAbs(referenceGradients[index])).toBeGreaterThan(0);
      expect(maxAbsDifference(gradient, referenceGradients[index])).toBeLessThan(1e-3 * maxAbs(referenceGradients[index]));
    }
    tf.dispose([real, fake, alpha, outputWeights, penalty, referencePenalty, ...gradients, ...referenceGradients]);
  });

  it('invalid axis and epsilon are rejected', () => {
    expect(() => new LayerNorm({ axis: [], epsilon: EPSILON })).toThrow(/Invalid layer-norm axis \[\]: expected one or more integer axes/);
    expect(() => new LayerNorm({ axis: [1], epsilon: 0 })).toThrow(/Invalid layer-norm epsilon 0: expected a positive number/);
    expect(() => new LayerNorm({ axis: [0], epsilon: EPSILON }).build([2, 3])).toThrow(/Invalid layer-norm axis 0 for an input of rank 2: expected an axis from 1 to 1/);
  });
});

describe('LayerNorm in a penalized critic on wasm', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('DCGAN critic at batch 64', async () => {
    // DCGAN-small's D (width 32) with layer norm on its [64, 7, 7, 64] activation. With
    // tf.layers.layerNormalization, this penalty tiled the per-example moments and the wasm
    // backend aborted after exceeding its 4 GiB memory.
    const model: ModelConfig = {
      architecture: 'dcgan',
      latentSize: 64,
      generator: { width: 32, depth: 0, normalization: 'batch' },
      discriminator: { width: 32, depth: 0, normalization: 'layer' },
    };
    const discriminator = buildDiscriminator(model, [28, 28, 1], 1);
    const variables = discriminator.trainableWeights.map((weight) => weight.read() as tf.Variable);
    const real = tf.randomUniform([64, 28, 28, 1], -1, 1, 'float32', 12);
    const fake = tf.randomUniform([64, 28, 28, 1], -1, 1, 'float32', 13);
    const alpha = tf.randomUniform([64], 0, 1, 'float32', 14);
    const critic = (x: tf.Tensor) => discriminator.apply(x, { training: true }) as tf.Tensor;
    const tensorsBefore = tf.memory().numTensors;

    const profile = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() => gradientPenalty(critic, real, fake, alpha), variables);
      value.dispose();
      return grads;
    });
    const gradients = profile.result as tf.NamedTensorMap;

    expect(profile.kernelNames).not.toContain('Tile');
    const gradientNorms = Object.values(gradients).map((gradient) => tf.tidy(() => tf.norm(gradient).dataSync()[0]));
    // The last dense layer's bias does not change the input gradient, so it gets none.
    expect(gradientNorms).toHaveLength(variables.length - 1);
    for (const norm of gradientNorms) expect(Number.isFinite(norm)).toBe(true);
    expect(Math.max(...gradientNorms)).toBeGreaterThan(0);
    // The activation gradient is 0.8 MB; 256 MB leaves room for the network's own tensors.
    expect(profile.peakBytes).toBeLessThan(256 * 2 ** 20);
    tf.dispose(Object.values(gradients));
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    tf.dispose([real, fake, alpha]);
    discriminator.dispose();
  });
});
