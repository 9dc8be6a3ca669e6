// Spectral normalization: the power iteration against singular values computed by ml-matrix,
// the gradient of σ, and the spectral-norm layers inside real models.
import * as tf from '@tensorflow/tfjs';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from '../../src/main/training/backend';
import { buildDiscriminator, buildGenerator } from '../../src/main/training/models';
import { kernelMatrix, powerIteration, spectralNormEstimate, spectrallyNormalized, type KernelLayout } from '../../src/main/training/spectral-norm';
import { powerIterateModel, SpectralConv2D, SpectralConv2DTranspose, SpectralDense } from '../../src/main/training/spectral-norm-layers';
import type { ModelConfig } from '../../src/shared/config';

function largestSingularValue(values: number[][]): number {
  return new SingularValueDecomposition(new Matrix(values), { autoTranspose: true }).diagonal[0];
}

function toRows(tensor: tf.Tensor2D): number[][] {
  return tensor.arraySync();
}

/** Runs `iterations` power iterations from u and returns σ ≈ vᵀWu. */
function estimate(matrix: tf.Tensor2D, iterations: number): number {
  let u = tf.ones([matrix.shape[1]]) as tf.Tensor1D;
  let v = tf.zeros([matrix.shape[0]]) as tf.Tensor1D;
  for (let i = 0; i < iterations; i++) {
    const next = powerIteration(matrix, u);
    tf.dispose([u, v]);
    ({ u, v } = next);
  }
  const sigma = spectralNormEstimate(matrix, u, v);
  const value = sigma.dataSync()[0];
  tf.dispose([u, v, sigma]);
  return value;
}

describe('power iteration', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('symmetric matrix: σ = 3', () => {
    // [[2, 1], [1, 2]] has eigenvalues 3 and 1, so its singular values are 3 and 1.
    const matrix = tf.tensor2d([[2, 1], [1, 2]]);

    expect(estimate(matrix, 20)).toBeCloseTo(3, 4);
    matrix.dispose();
  });

  it('random 6×4 matrix: σ from the SVD', () => {
    const values = [
      [0.3, -1.2, 0.5, 0.9],
      [1.1, 0.4, -0.7, 0.2],
      [-0.6, 0.8, 1.3, -0.4],
      [0.2, -0.3, 0.1, 1.5],
      [0.9, 0.6, -0.2, -0.8],
      [-1.0, 0.1, 0.4, 0.3],
    ];
    const matrix = tf.tensor2d(values);

    expect(estimate(matrix, 50)).toBeCloseTo(largestSingularValue(values), 4);
    // One iteration from a poor start is only a lower bound, which is why u persists across steps.
    expect(estimate(matrix, 1)).toBeLessThanOrEqual(largestSingularValue(values) + 1e-5);
    matrix.dispose();
  });

  it('σ gradient is v·uᵀ', () => {
    // σ = vᵀWu with u and v held constant, so ∂σ/∂W = v uᵀ, the gradient Miyato et al. 2018 use.
    const matrix = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const u = tf.tensor1d([0.6, 0.8]);
    const v = tf.tensor1d([1, 0, -1]);

    const gradient = tf.grad((w: tf.Tensor) => spectralNormEstimate(w as tf.Tensor2D, u, v))(matrix);

    expect(toRows(gradient as tf.Tensor2D)).toEqual([
      [0.6, 0.8],
      [0, 0],
      [-0.6, -0.8],
    ].map((row) => row.map((value) => expect.closeTo(value, 6))));
    tf.dispose([matrix, u, v, gradient]);
  });

  it('conv kernels reshape to (kh·kw·cin, cout)', () => {
    const conv = tf.zeros([4, 4, 3, 8]);
    const transposed = tf.zeros([4, 4, 8, 3]);

    const convMatrix = kernelMatrix(conv, 'conv');
    const transposedMatrix = kernelMatrix(transposed, 'conv-transpose');

    expect(convMatrix.shape).toEqual([48, 8]);
    expect(transposedMatrix.shape).toEqual([48, 8]);
    tf.dispose([conv, transposed, convMatrix, transposedMatrix]);
  });
});

const MLP: ModelConfig = {
  architecture: 'mlp',
  latentSize: 4,
  generator: { width: 16, depth: 2, normalization: 'none' },
  discriminator: { width: 16, depth: 2, normalization: 'none' },
};

const DCGAN: ModelConfig = {
  architecture: 'dcgan',
  latentSize: 4,
  generator: { width: 4, depth: 0, normalization: 'none' },
  discriminator: { width: 4, depth: 0, normalization: 'none' },
};

/** Returns the spectral norm of each spectral layer's effective kernel after `iterations` power iterations. */
function normalizedSpectralNorms(model: tf.LayersModel, iterations: number): number[] {
  for (let i = 0; i < iterations; i++) powerIterateModel(model);

  const norms: number[] = [];
  for (const layer of model.layers) {
    if (!(layer instanceof SpectralDense || layer instanceof SpectralConv2D || layer instanceof SpectralConv2DTranspose)) continue;

    const [kernel, , u, v] = layer.weights.length === 4 ? layer.weights : [layer.weights[0], null, layer.weights[1], layer.weights[2]];
    let layout: KernelLayout = 'conv-transpose';
    if (layer instanceof SpectralDense) layout = 'dense';
    if (layer instanceof SpectralConv2D) layout = 'conv';
    const rows = tf.tidy(() => {
      const normalized = spectrallyNormalized(kernel.read(), layout, u.read() as tf.Tensor1D, v.read() as tf.Tensor1D);
      return kernelMatrix(normalized, layout).arraySync();
    });
    norms.push(largestSingularValue(rows));
  }
  return norms;
}

describe('spectral-norm layers', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('MLP discriminator: every layer has norm ≈ 1', () => {
    const discriminator = buildDiscriminator(MLP, [2], 3, { spectralNorm: true });

    const norms = normalizedSpectralNorms(discriminator, 30);

    expect(norms).toHaveLength(3);
    for (const norm of norms) expect(norm).toBeCloseTo(1, 3);
    discriminator.dispose();
  });

  it('DCGAN generator and discriminator: norm ≈ 1', () => {
    const generator = buildGenerator(DCGAN, [28, 28, 1], 5, { spectralNorm: true });
    const discriminator = buildDiscriminator(DCGAN, [28, 28, 1], 5, { spectralNorm: true });

    const norms = [...normalizedSpectralNorms(generator, 40), ...normalizedSpectralNorms(discriminator, 40)];

    // G: dense + two conv-transposes; D: two convs + dense.
    expect(norms).toHaveLength(6);
    for (const norm of norms) expect(norm).toBeCloseTo(1, 2);
    generator.dispose();
    discriminator.dispose();
  });

  it('same start kernels and shapes as plain models', () => {
    const plain = buildGenerator(DCGAN, [28, 28, 1], 9);
    const normalized = buildGenerator(DCGAN, [28, 28, 1], 9, { spectralNorm: true });
    const z = tf.randomNormal([2, 4], 0, 1, 'float32', 1);

    const firstPlainKernel = plain.trainableWeights[0].read().dataSync();
    const firstNormalizedKernel = normalized.trainableWeights[0].read().dataSync();
    const output = normalized.predict(z) as tf.Tensor;

    expect(Array.from(firstNormalizedKernel)).toEqual(Array.from(firstPlainKernel));
    expect(output.shape).toEqual([2, 28, 28, 1]);
    expect(normalized.trainableWeights.length).toBe(plain.trainableWeights.length);
    tf.dispose([z, output]);
    plain.dispose();
    normalized.dispose();
  });

  it('dense layer output is x·W/σ + b', () => {
    const discriminator = buildDiscriminator({ ...MLP, discriminator: { width: 3, depth: 0, normalization: 'none' } }, [2], 1, { spectralNorm: true });
    const layer = discriminator.layers[0] as SpectralDense;
    const [kernel, bias, u, v] = layer.weights;
    const x = tf.tensor2d([[1, -2], [0.5, 3]]);

    const expected = tf.tidy(() => {
      const matrix = kernel.read() as tf.Tensor2D;
      const sigma = spectralNormEstimate(matrix, u.read() as tf.Tensor1D, v.read() as tf.Tensor1D);
      return tf.add(tf.matMul(x, tf.div(matrix, sigma) as tf.Tensor2D), bias.read()).arraySync();
    });
    const output = discriminator.predict(x) as tf.Tensor2D;

    expect(output.arraySync()).toEqual((expected as number[][]).map((row) => row.map((value) => expect.closeTo(value, 5))));
    tf.dispose([x, output]);
    discriminator.dispose();
  });

  it('power iteration touches only u and v', () => {
    const discriminator = buildDiscriminator(MLP, [2], 2, { spectralNorm: true });
    const before = discriminator.trainableWeights.map((weight) => Array.from(weight.read().dataSync()));
    const tensorsBefore = tf.memory().numTensors;

    const count = powerIterateModel(discriminator);

    expect(count).toBe(3);
    expect(discriminator.trainableWeights.map((weight) => Array.from(weight.read().dataSync()))).toEqual(before);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    discriminator.dispose();
  });
});
