// The EMA generator: the average moves by (1 − β) toward G; non-trainable weights are copied.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from '../../src/main/training/backend';
import { EmaGenerator } from '../../src/main/training/ema-generator';
import { buildGenerator } from '../../src/main/training/models';
import type { ModelConfig } from '../../src/shared/config';

const MODEL: ModelConfig = {
  architecture: 'mlp',
  latentSize: 3,
  generator: { width: 4, depth: 1, normalization: 'batch' },
  discriminator: { width: 4, depth: 1, normalization: 'none' },
};

describe('EMA generator', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('averages trainable weights and copies the rest', () => {
    const build = () => buildGenerator(MODEL, [2], 1);
    const generator = build();
    const ema = new EmaGenerator(generator, build, 0.9);
    const kernel = generator.trainableWeights[0];
    const start = Array.from(kernel.read().dataSync());
    const movingMean = generator.weights.find((weight) => !weight.trainable && weight.name.includes('moving_mean'));
    if (!movingMean) throw new Error('expected a batch-norm moving mean in G');

    // G's kernel jumps by +1 and its moving mean to 5; the EMA kernel moves by 0.1 of the jump.
    kernel.write(tf.add(kernel.read(), 1));
    movingMean.write(tf.fill(movingMean.shape as number[], 5));
    ema.update();

    const emaKernel = Array.from(ema.model.trainableWeights[0].read().dataSync());
    const emaMovingMean = ema.model.weights.find((weight) => !weight.trainable && weight.name.includes('moving_mean'));
    emaKernel.forEach((value, i) => expect(value).toBeCloseTo(start[i] + 0.1, 6));
    expect(Array.from(emaMovingMean?.read().dataSync() ?? [])).toEqual([5, 5, 5, 5]);
    ema.dispose();
    generator.dispose();
  });

  it('starts equal to G', () => {
    const build = () => buildGenerator(MODEL, [2], 4);
    const generator = build();
    const ema = new EmaGenerator(generator, build, 0.999);
    const z = tf.randomNormal([5, 3], 0, 1, 'float32', 2) as tf.Tensor2D;

    const fromEma = ema.generate(z);
    const fromG = (generator.predict(z) as tf.Tensor).dataSync();

    expect(Array.from(fromEma)).toEqual(Array.from(fromG));
    tf.dispose(z);
    ema.dispose();
    generator.dispose();
  });

  it('leaves no tensors behind', () => {
    const build = () => buildGenerator(MODEL, [2], 1);
    const generator = build();
    const before = tf.memory().numTensors;

    const ema = new EmaGenerator(generator, build, 0.99);
    for (let i = 0; i < 5; i++) ema.update();
    ema.dispose();

    expect(tf.memory().numTensors).toBe(before);
    generator.dispose();
  });

  it('rejects a decay of 1 and another architecture', () => {
    const build = () => buildGenerator(MODEL, [2], 1);
    const generator = build();
    const other = () => buildGenerator({ ...MODEL, generator: { width: 8, depth: 1, normalization: 'batch' } }, [2], 1);

    expect(() => new EmaGenerator(generator, build, 1)).toThrow('Invalid EMA decay 1: expected a number from 0 to below 1');
    expect(() => new EmaGenerator(generator, other, 0.9)).toThrow('built with another architecture than G');
    generator.dispose();
  });
});
