// Generator and discriminator builders: shapes, seeded weights, and one training step per normalization on wasm.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from '../../src/main/training/backend';
import { getLoss } from '../../src/main/training/losses';
import { buildDiscriminator, buildGenerator } from '../../src/main/training/models';
import { createOptimizer } from '../../src/main/training/optimizers';
import type { Architecture, ModelConfig, Normalization } from '../../src/shared/config';

const POINTS = [2];
const IMAGES = [28, 28, 1];

function modelConfig(architecture: Architecture, normalization: Normalization = 'none', depth = 1): ModelConfig {
  const width = architecture === 'dcgan' ? 4 : 16;
  return {
    architecture,
    latentSize: 8,
    generator: { width, depth, normalization },
    discriminator: { width, depth, normalization },
  };
}

function weightValues(model: tf.LayersModel): number[][] {
  return model.getWeights().map((weight) => Array.from(weight.dataSync()));
}

const SHAPE_CASES: { name: string; architecture: Architecture; dataShape: number[] }[] = [
  { name: 'MLP on points', architecture: 'mlp', dataShape: POINTS },
  { name: 'MLP on images', architecture: 'mlp', dataShape: IMAGES },
  { name: 'DCGAN on images', architecture: 'dcgan', dataShape: IMAGES },
];

describe('model builders', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it.each(SHAPE_CASES)('$name: output shapes', ({ architecture, dataShape }) => {
    const config = modelConfig(architecture);
    const generator = buildGenerator(config, dataShape, 1);
    const discriminator = buildDiscriminator(config, dataShape, 1);
    const z = tf.randomNormal([5, config.latentSize]);

    const samples = generator.predict(z) as tf.Tensor;
    const logits = discriminator.predict(samples) as tf.Tensor;

    expect(samples.shape).toEqual([5, ...dataShape]);
    expect(logits.shape).toEqual([5, 1]);
    tf.dispose([z, samples, logits]);
    generator.dispose();
    discriminator.dispose();
  });

  it('image generators end in tanh', () => {
    const generator = buildGenerator(modelConfig('mlp'), IMAGES, 3);
    const z = tf.mul(100, tf.randomNormal([4, 8]));

    const samples = generator.predict(z) as tf.Tensor;

    expect(samples.max().dataSync()[0]).toBeLessThanOrEqual(1);
    expect(samples.min().dataSync()[0]).toBeGreaterThanOrEqual(-1);
    tf.dispose([z, samples]);
    generator.dispose();
  });

  it('DCGAN layer shapes and depth', () => {
    const config = modelConfig('dcgan', 'batch', 2);
    const generator = buildGenerator(config, IMAGES, 1);
    const discriminator = buildDiscriminator(config, IMAGES, 1);
    const outputShapes = (model: tf.LayersModel, className: string) =>
      model.layers.filter((layer) => layer.getClassName() === className).map((layer) => layer.outputShape);

    // width w = 4: G goes 7×7×8 → 14×14×4 → 28×28×1 with 2 extra 3×3 blocks at 7×7 and at 14×14.
    expect(outputShapes(generator, 'Reshape')).toEqual([[null, 7, 7, 8]]);
    expect(outputShapes(generator, 'Conv2DTranspose')).toEqual([
      [null, 14, 14, 4],
      [null, 28, 28, 1],
    ]);
    expect(outputShapes(generator, 'Conv2D')).toEqual([
      [null, 7, 7, 8],
      [null, 7, 7, 8],
      [null, 14, 14, 4],
      [null, 14, 14, 4],
    ]);
    // D goes 14×14×4 → 14×14×4 (×2) → 7×7×8 → 7×7×8 (×2).
    expect(outputShapes(discriminator, 'Conv2D')).toEqual([
      [null, 14, 14, 4],
      [null, 14, 14, 4],
      [null, 14, 14, 4],
      [null, 7, 7, 8],
      [null, 7, 7, 8],
      [null, 7, 7, 8],
    ]);
    expect(discriminator.layers.at(-1)?.outputShape).toEqual([null, 1]);
    generator.dispose();
    discriminator.dispose();
  });

  it('layer norm is per example', () => {
    const dcgan = buildDiscriminator(modelConfig('dcgan', 'layer', 1), IMAGES, 1);
    const mlp = buildDiscriminator(modelConfig('mlp', 'layer', 2), POINTS, 1);
    const normWeightShapes = (model: tf.LayersModel) =>
      model.layers.filter((layer) => layer.getClassName() === 'WorkbenchLayerNorm').map((layer) => layer.getWeights().map((weight) => weight.shape));

    // width w = 4: γ and β cover a whole example, [14, 14, 4] in the extra block and [7, 7, 8] after the second conv.
    expect(normWeightShapes(dcgan)).toEqual([
      [[14, 14, 4], [14, 14, 4]],
      [[7, 7, 8], [7, 7, 8]],
      [[7, 7, 8], [7, 7, 8]],
    ]);
    expect(normWeightShapes(mlp)).toEqual([
      [[16], [16]],
      [[16], [16]],
    ]);
    expect(dcgan.layers.some((layer) => layer.getClassName() === 'LayerNormalization')).toBe(false);
    dcgan.dispose();
    mlp.dispose();
  });

  it('DCGAN on points is rejected', () => {
    expect(() => buildGenerator(modelConfig('dcgan'), POINTS, 1)).toThrow(
      /The DCGAN model needs data of shape \[28, 28, 1\], but got \[2\]\. Use architecture "mlp"/,
    );
  });

  it('invalid seed and shape are rejected', () => {
    expect(() => buildDiscriminator(modelConfig('mlp'), POINTS, 1.5)).toThrow(/Invalid model seed 1.5: expected an integer/);
    expect(() => buildDiscriminator(modelConfig('mlp'), [0, 3], 1)).toThrow(/Invalid data shape \[0,3\]/);
  });

  it.each(SHAPE_CASES)('$name: same seed, same weights', ({ architecture, dataShape }) => {
    const config = modelConfig(architecture, 'batch');

    const first = buildGenerator(config, dataShape, 42);
    const second = buildGenerator(config, dataShape, 42);
    const other = buildGenerator(config, dataShape, 43);
    const criticA = buildDiscriminator(config, dataShape, 42);
    const criticB = buildDiscriminator(config, dataShape, 42);
    const criticOther = buildDiscriminator(config, dataShape, 43);

    expect(weightValues(second)).toEqual(weightValues(first));
    expect(weightValues(other)).not.toEqual(weightValues(first));
    expect(weightValues(criticB)).toEqual(weightValues(criticA));
    expect(weightValues(criticOther)).not.toEqual(weightValues(criticA));
    for (const model of [first, second, other, criticA, criticB, criticOther]) model.dispose();
  });

  it('layers get distinct seeds', () => {
    // Two dense layers of the same shape must not start from the same kernel.
    const config: ModelConfig = { ...modelConfig('mlp'), discriminator: { width: 16, depth: 3, normalization: 'none' } };
    const discriminator = buildDiscriminator(config, [16], 5);
    const kernels = discriminator.layers
      .filter((layer) => layer.getClassName() === 'Dense')
      .map((layer) => Array.from(layer.getWeights()[0].dataSync()));

    expect(kernels[1]).toHaveLength(16 * 16);
    expect(kernels[2]).not.toEqual(kernels[1]);
    discriminator.dispose();
  });

  it('batch norm uses batch statistics in training mode', () => {
    const generator = buildGenerator(modelConfig('mlp', 'batch'), POINTS, 9);
    const z = tf.randomNormal([16, 8], 0, 1, 'float32', 9);

    const training = generator.apply(z, { training: true }) as tf.Tensor;
    const inference = generator.predict(z) as tf.Tensor;

    // Fresh moving averages are mean 0, variance 1, so the two modes differ on any real batch.
    const difference = tf.max(tf.abs(tf.sub(training, inference))).dataSync()[0];
    expect(difference).toBeGreaterThan(1e-3);
    tf.dispose([z, training, inference]);
    generator.dispose();
  });
});

const TRAINING_CASES = (['mlp', 'dcgan'] as const).flatMap((architecture) =>
  (['batch', 'layer', 'none'] as const).map((normalization) => ({
    name: `${architecture} with ${normalization} normalization`,
    architecture,
    normalization,
    dataShape: architecture === 'dcgan' ? IMAGES : POINTS,
  })),
);

describe('one training step on wasm', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it.each(TRAINING_CASES)('$name', ({ architecture, normalization, dataShape }) => {
    const config = modelConfig(architecture, normalization);
    const generator = buildGenerator(config, dataShape, 2);
    const discriminator = buildDiscriminator(config, dataShape, 2);
    const optimizerD = createOptimizer({ kind: 'adam', learningRate: 1e-3, beta1: 0.5, beta2: 0.999, momentum: 0 });
    const optimizerG = createOptimizer({ kind: 'adam', learningRate: 1e-3, beta1: 0.5, beta2: 0.999, momentum: 0 });
    const loss = getLoss('ns');
    const dVariables = discriminator.trainableWeights.map((weight) => weight.read() as tf.Variable);
    const gVariables = generator.trainableWeights.map((weight) => weight.read() as tf.Variable);
    const gBefore = weightValues(generator);
    const dBefore = weightValues(discriminator);

    const step = () => {
      const z = tf.randomNormal([4, config.latentSize]);
      const real = tf.randomUniform([4, ...dataShape], -1, 1);
      const dLoss = optimizerD.minimize(() => {
        const fake = generator.apply(z, { training: true }) as tf.Tensor;
        const realLogits = discriminator.apply(real, { training: true }) as tf.Tensor;
        const fakeLogits = discriminator.apply(fake, { training: true }) as tf.Tensor;
        return loss.discriminator(realLogits, fakeLogits);
      }, true, dVariables);
      const gLoss = optimizerG.minimize(() => {
        const fake = generator.apply(z, { training: true }) as tf.Tensor;
        return loss.generator(discriminator.apply(fake, { training: true }) as tf.Tensor);
      }, true, gVariables);
      const values = [dLoss!.dataSync()[0], gLoss!.dataSync()[0]];
      tf.dispose([z, real, dLoss!, gLoss!]);
      return values;
    };

    const [dLoss, gLoss] = step();
    const tensorsAfterFirstStep = tf.memory().numTensors;
    step();

    expect(Number.isFinite(dLoss)).toBe(true);
    expect(Number.isFinite(gLoss)).toBe(true);
    expect(weightValues(generator)).not.toEqual(gBefore);
    expect(weightValues(discriminator)).not.toEqual(dBefore);
    expect(tf.memory().numTensors).toBe(tensorsAfterFirstStep);
    generator.dispose();
    discriminator.dispose();
    optimizerD.dispose();
    optimizerG.dispose();
  });
});
