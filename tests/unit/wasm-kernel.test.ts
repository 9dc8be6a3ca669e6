// The wasm Conv2DBackpropFilter kernel against tfjs's own cpu kernel, which serves as the reference.
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from '../../src/main/training/backend';
import { buildDiscriminator, buildGenerator } from '../../src/main/training/models';
import { gradientPenalty } from '../../src/main/training/regularizers';
import { registerWasmConv2DBackpropFilter } from '../../src/main/training/wasm-conv2d-backprop-filter';
import type { ModelConfig } from '../../src/shared/config';

const TOLERANCE = 1e-4;

type Padding = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

interface ConvCase {
  name: string;
  xShape: [number, number, number, number];
  filterShape: [number, number, number, number];
  strides: number | [number, number];
  pad: Padding;
}

const CONV_CASES: ConvCase[] = [
  { name: '3×3 stride 1 same', xShape: [2, 7, 7, 3], filterShape: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { name: '4×4 stride 2 same', xShape: [3, 8, 8, 2], filterShape: [4, 4, 2, 5], strides: 2, pad: 'same' },
  { name: '4×4 stride 2 same, odd size', xShape: [2, 9, 7, 2], filterShape: [4, 4, 2, 3], strides: 2, pad: 'same' },
  { name: '4×4 stride 2 valid, unused rows', xShape: [2, 9, 9, 2], filterShape: [4, 4, 2, 3], strides: 2, pad: 'valid' },
  { name: '3×2 strides [3, 2] valid', xShape: [2, 10, 9, 3], filterShape: [3, 2, 3, 2], strides: [3, 2], pad: 'valid' },
  {
    name: 'explicit asymmetric padding',
    xShape: [2, 7, 8, 1],
    filterShape: [3, 3, 1, 2],
    strides: 2,
    pad: [[0, 0], [1, 2], [2, 0], [0, 0]],
  },
  { name: '1×1 stride 1 valid', xShape: [4, 5, 5, 3], filterShape: [1, 1, 3, 2], strides: 1, pad: 'valid' },
];

/** Deterministic values in [-0.5, 0.5), the same on every backend. */
function randomValues(count: number, seed: string): Float32Array {
  const random = seedrandom(seed);
  return Float32Array.from({ length: count }, () => random() - 0.5);
}

function sizeOf(shape: number[]): number {
  return shape.reduce((product, size) => product * size, 1);
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

function maxAbs(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]));
  return max;
}

/** Runs `compute` with `backend` active and returns its values, disposing every tensor it made. */
async function valuesOn(backend: 'cpu' | 'wasm', compute: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  const result = compute();
  const values = (await result.data()) as Float32Array;
  result.dispose();
  return values;
}

/** Computes the gradient of Σ(conv2d(x, W) · upstream) with respect to W, which runs Conv2DBackpropFilter. */
function conv2dFilterGradient(testCase: ConvCase): tf.Tensor {
  return tf.tidy(() => {
    const x = tf.tensor4d(randomValues(sizeOf(testCase.xShape), `x:${testCase.name}`), testCase.xShape);
    const filter = tf.tensor4d(randomValues(sizeOf(testCase.filterShape), `w:${testCase.name}`), testCase.filterShape);
    const outputShape = tf.conv2d(x, filter, testCase.strides, testCase.pad).shape;
    const upstream = tf.tensor(randomValues(sizeOf(outputShape), `dy:${testCase.name}`), outputShape);

    return tf.grad((w: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, w as tf.Tensor4D, testCase.strides, testCase.pad), upstream)))(filter);
  });
}

/** Computes the same for conv2dTranspose, whose filter gradient also runs Conv2DBackpropFilter. */
function conv2dTransposeFilterGradient(testCase: ConvCase): tf.Tensor {
  return tf.tidy(() => {
    // For the transpose, the case's x is the output side; its input has the filter's C_out channels.
    const [batch, height, width] = testCase.xShape;
    const filterShape = testCase.filterShape;
    const forward = tf.conv2d(tf.zeros(testCase.xShape) as tf.Tensor4D, tf.zeros(filterShape) as tf.Tensor4D, testCase.strides, testCase.pad);
    const inputShape = forward.shape;
    const input = tf.tensor4d(randomValues(sizeOf(inputShape), `in:${testCase.name}`), inputShape);
    const filter = tf.tensor4d(randomValues(sizeOf(filterShape), `wt:${testCase.name}`), filterShape);
    const outputShape: [number, number, number, number] = [batch, height, width, filterShape[2]];
    const upstream = tf.tensor4d(randomValues(sizeOf(outputShape), `dyt:${testCase.name}`), outputShape);

    return tf.grad((w: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2dTranspose(input, w as tf.Tensor4D, outputShape, testCase.strides, testCase.pad as 'same' | 'valid'), upstream)),
    )(filter);
  });
}

const TINY_DCGAN: ModelConfig = {
  architecture: 'dcgan',
  latentSize: 8,
  generator: { width: 4, depth: 1, normalization: 'none' },
  discriminator: { width: 4, depth: 1, normalization: 'none' },
};

/** Gradients of a non-saturating GAN step for every weight of a tiny DCGAN G and D, flattened into one array. */
function dcganGradients(): tf.Tensor {
  const generator = buildGenerator(TINY_DCGAN, [28, 28, 1], 7);
  const discriminator = buildDiscriminator(TINY_DCGAN, [28, 28, 1], 7);
  const weights = [...generator.trainableWeights, ...discriminator.trainableWeights].map((weight) => weight.read() as tf.Variable);

  const flat = tf.tidy(() => {
    const z = tf.tensor2d(randomValues(3 * 8, 'z'), [3, 8]);
    const real = tf.tensor4d(randomValues(3 * 28 * 28, 'real'), [3, 28, 28, 1]);
    const { grads } = tf.variableGrads(() => {
      const fake = generator.apply(z, { training: true }) as tf.Tensor;
      const logits = discriminator.apply(tf.concat([real, fake]), { training: true }) as tf.Tensor;
      const labels = tf.concat([tf.ones([3, 1]), tf.zeros([3, 1])]);
      return tf.losses.sigmoidCrossEntropy(labels, logits) as tf.Scalar;
    }, weights);
    return tf.concat(weights.map((weight) => tf.reshape(grads[weight.name], [-1])));
  });

  generator.dispose();
  discriminator.dispose();
  return flat;
}

/**
 * Gradients of the WGAN-GP penalty for every weight of a tiny DCGAN D, flattened into one array.
 * Differentiating the input gradient again runs Conv2DBackpropFilter on the second-order path.
 */
function penaltyGradients(normalization: 'layer' | 'none'): tf.Tensor {
  const model: ModelConfig = { ...TINY_DCGAN, discriminator: { ...TINY_DCGAN.discriminator, normalization } };
  const discriminator = buildDiscriminator(model, [28, 28, 1], 11);
  const weights = discriminator.trainableWeights.map((weight) => weight.read() as tf.Variable);

  const flat = tf.tidy(() => {
    const real = tf.tensor4d(randomValues(3 * 28 * 28, 'gp-real'), [3, 28, 28, 1]);
    const fake = tf.tensor4d(randomValues(3 * 28 * 28, 'gp-fake'), [3, 28, 28, 1]);
    const alpha = tf.tensor1d([0.2, 0.5, 0.9]);
    const critic = (x: tf.Tensor) => discriminator.apply(x, { training: true }) as tf.Tensor;
    const { grads } = tf.variableGrads(() => gradientPenalty(critic, real, fake, alpha), weights);
    // The last dense layer's bias does not change the input gradient, so it has no gradient.
    return tf.concat(weights.filter((weight) => grads[weight.name] !== undefined).map((weight) => tf.reshape(grads[weight.name], [-1])));
  });

  discriminator.dispose();
  return flat;
}

describe('wasm Conv2DBackpropFilter kernel', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('registers once for wasm', () => {
    registerWasmConv2DBackpropFilter();
    registerWasmConv2DBackpropFilter();

    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it.each(CONV_CASES)('conv2d filter gradient matches cpu: $name', async (testCase) => {
    const expected = await valuesOn('cpu', () => conv2dFilterGradient(testCase));
    const actual = await valuesOn('wasm', () => conv2dFilterGradient(testCase));

    expect(actual.length).toBe(sizeOf(testCase.filterShape));
    expect(maxAbs(expected)).toBeGreaterThan(0.1);
    expect(maxAbsDifference(actual, expected)).toBeLessThan(TOLERANCE);
  });

  it.each(CONV_CASES.filter((testCase) => typeof testCase.pad === 'string'))(
    'conv2dTranspose filter gradient matches cpu: $name',
    async (testCase) => {
      const expected = await valuesOn('cpu', () => conv2dTransposeFilterGradient(testCase));
      const actual = await valuesOn('wasm', () => conv2dTransposeFilterGradient(testCase));

      expect(actual.length).toBe(sizeOf(testCase.filterShape));
      expect(maxAbs(expected)).toBeGreaterThan(0.1);
      expect(maxAbsDifference(actual, expected)).toBeLessThan(TOLERANCE);
    },
  );

  it('NCHW kernel call matches cpu', async () => {
    // tfjs's wasm Conv2D rejects NCHW, so no layer reaches this path; the kernel is called directly.
    const xShape: [number, number, number, number] = [2, 3, 8, 8];
    const dyShape: [number, number, number, number] = [2, 4, 4, 4];
    const attrs = { strides: [2, 2], pad: 'same', dataFormat: 'NCHW', dimRoundingMode: undefined, filterShape: [4, 4, 3, 4] };
    const compute = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(randomValues(sizeOf(xShape), 'nchw-x'), xShape);
        const dy = tf.tensor4d(randomValues(sizeOf(dyShape), 'nchw-dy'), dyShape);
        return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
      });

    const expected = await valuesOn('cpu', compute);
    const actual = await valuesOn('wasm', compute);

    expect(actual.length).toBe(4 * 4 * 3 * 4);
    expect(maxAbsDifference(actual, expected)).toBeLessThan(TOLERANCE);
  });

  it('DCGAN gradients match cpu', async () => {
    const expected = await valuesOn('cpu', dcganGradients);
    const actual = await valuesOn('wasm', dcganGradients);

    expect(maxAbs(expected)).toBeGreaterThan(1e-3);
    expect(maxAbsDifference(actual, expected)).toBeLessThan(TOLERANCE);
  });

  it.each(['layer', 'none'] as const)('gradient-penalty gradients match cpu: D norm %s', async (normalization) => {
    const expected = await valuesOn('cpu', () => penaltyGradients(normalization));
    const actual = await valuesOn('wasm', () => penaltyGradients(normalization));

    expect(maxAbs(expected)).toBeGreaterThan(1e-3);
    expect(maxAbsDifference(actual, expected)).toBeLessThan(TOLERANCE * Math.max(1, maxAbs(expected)));
  });

  it('keeps bare TensorInfo inputs alive', async () => {
    // Kernels that call other kernels pass TensorInfo objects rather than tensors.
    await tf.setBackend('wasm');
    const x = tf.tensor4d(randomValues(2 * 6 * 6 * 2, 'info-x'), [2, 6, 6, 2]);
    const dy = tf.tensor4d(randomValues(2 * 3 * 3 * 3, 'info-dy'), [2, 3, 3, 3]);
    const attrs = { strides: [2, 2], pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: [3, 3, 2, 3] };
    const kernel = tf.getKernel('Conv2DBackpropFilter', 'wasm');
    const before = tf.memory().numTensors;

    const result = kernel.kernelFunc({
      inputs: { x: { dataId: x.dataId, shape: x.shape, dtype: x.dtype }, dy: { dataId: dy.dataId, shape: dy.shape, dtype: dy.dtype } },
      backend: tf.backend(),
      attrs: attrs as unknown as tf.NamedAttrMap,
    }) as tf.Tensor;

    expect(result.shape).toEqual([3, 3, 2, 3]);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(x.dataSync()).toHaveLength(2 * 6 * 6 * 2);
    expect(dy.dataSync()).toHaveLength(2 * 3 * 3 * 3);
    tf.dispose([x, dy, result]);
  });

  it('leaks no tensors', async () => {
    await tf.setBackend('wasm');
    const testCase = CONV_CASES[1];
    const attrs = { strides: 2, pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: testCase.filterShape };
    const x = tf.tensor4d(randomValues(sizeOf(testCase.xShape), 'leak-x'), testCase.xShape);
    const dy = tf.tensor4d(randomValues(3 * 4 * 4 * 5, 'leak-dy'), [3, 4, 4, 5]);
    tf.dispose([conv2dFilterGradient(testCase), conv2dTransposeFilterGradient(testCase)]);
    const before = tf.memory().numTensors;

    for (let repeat = 0; repeat < 5; repeat++) {
      // Outside any tidy, so that tensors the kernel fails to dispose stay counted.
      tf.dispose(tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor);
      tf.dispose([conv2dFilterGradient(testCase), conv2dTransposeFilterGradient(testCase)]);
      tf.dispose(dcganGradients());
    }

    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, dy]);
  });
});
