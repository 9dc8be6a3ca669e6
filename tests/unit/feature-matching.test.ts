// Feature matching: the loss against hand-computed values and D's hidden layers on real models.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from '../../src/main/training/backend';
import { applyWithFeatures, featureMatchingLoss, hiddenLayerIndices, resolveFeatureLayer } from '../../src/main/training/feature-matching';
import { buildDiscriminator } from '../../src/main/training/models';
import type { ModelConfig } from '../../src/shared/config';

const MLP: ModelConfig = {
  architecture: 'mlp',
  latentSize: 4,
  generator: { width: 8, depth: 2, normalization: 'none' },
  discriminator: { width: 8, depth: 2, normalization: 'none' },
};

describe('feature matching', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('loss is the squared distance of the means', () => {
    // Real mean [2, 0], fake mean [0, 1]: ‖[2, −1]‖² = 5.
    const real = tf.tensor2d([[1, 1], [3, -1]]);
    const fake = tf.tensor2d([[0, 2], [0, 0], [0, 1]]);

    const loss = featureMatchingLoss(real, fake);

    expect(loss.dataSync()[0]).toBeCloseTo(5, 6);
    tf.dispose([real, fake, loss]);
  });

  it('hidden layers of the MLP and DCGAN discriminators', () => {
    const mlp = buildDiscriminator(MLP, [2], 1);
    const dcgan = buildDiscriminator({ ...MLP, architecture: 'dcgan', discriminator: { width: 2, depth: 1, normalization: 'layer' } }, [28, 28, 1], 1);

    // MLP: dense, LeakyReLU, dense, LeakyReLU, dense.
    expect(hiddenLayerIndices(mlp)).toEqual([1, 3]);
    expect(resolveFeatureLayer(mlp, -1)).toBe(3);
    expect(resolveFeatureLayer(mlp, 0)).toBe(1);
    // DCGAN with depth 1: four convolution blocks, each closed by a LeakyReLU.
    expect(hiddenLayerIndices(dcgan)).toHaveLength(4);
    mlp.dispose();
    dcgan.dispose();
  });

  it('out-of-range layer is rejected', () => {
    const mlp = buildDiscriminator(MLP, [2], 1);
    const linear = buildDiscriminator({ ...MLP, discriminator: { width: 8, depth: 0, normalization: 'none' } }, [2], 1);

    expect(() => resolveFeatureLayer(mlp, 2)).toThrow('Invalid featureMatching.layer 2: D has 2 hidden layers, so expected -2 to 1.');
    expect(() => resolveFeatureLayer(mlp, -3)).toThrow('Invalid featureMatching.layer -3');
    expect(() => resolveFeatureLayer(linear, -1)).toThrow('Feature matching needs a hidden layer in D');
    mlp.dispose();
    linear.dispose();
  });

  it('one pass gives the output and the features', () => {
    const mlp = buildDiscriminator(MLP, [2], 1);
    const x = tf.tensor2d([[0.5, -1], [2, 0.3]]);

    const { output, features } = applyWithFeatures(mlp, x, 3, false);
    const expected = mlp.predict(x) as tf.Tensor;

    expect(features.shape).toEqual([2, 8]);
    expect(Array.from(output.dataSync())).toEqual(Array.from(expected.dataSync()));
    tf.dispose([x, output, features, expected]);
    mlp.dispose();
  });
});
