// Builds the generator (G) and discriminator (D) networks for a run: an MLP for 2-D points
// or flattened images, and a DCGAN (Radford et al. 2016) for 28×28×1 images.
//
// How the trainer calls the models: during G and D steps, `model.apply(x, { training: true })`,
// so that batch normalization normalizes with the batch's own statistics and updates its moving
// averages. `model.predict(x)` runs in inference mode and uses the moving averages instead.
// D returns one raw logit per example (no sigmoid): every loss in losses.ts takes logits.
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';

import type { ModelConfig, NetworkConfig, Normalization } from '../../shared/config';

/** The image shape the DCGAN is built for. */
const DCGAN_SHAPE = [28, 28, 1] as const;
const LEAKY_RELU_ALPHA = 0.2;

/**
 * Builds G: latent vector [latentSize] → one example of `dataShape`. Outputs are linear for
 * 2-D points and tanh (range −1…1) for images. The same `seed` gives the same weights.
 */
export function buildGenerator(model: ModelConfig, dataShape: number[], seed: number): tf.LayersModel {
  checkArguments(model, dataShape, seed);
  const seeds = createSeedSequence(seed, 'generator');

  return model.architecture === 'dcgan'
    ? buildDcganGenerator(model.latentSize, model.generator, seeds)
    : buildMlpGenerator(model.latentSize, model.generator, dataShape, seeds);
}

/** Builds D: one example of `dataShape` → one logit, shape [batch, 1]. The same `seed` gives the same weights. */
export function buildDiscriminator(model: ModelConfig, dataShape: number[], seed: number): tf.LayersModel {
  checkArguments(model, dataShape, seed);
  const seeds = createSeedSequence(seed, 'discriminator');

  return model.architecture === 'dcgan'
    ? buildDcganDiscriminator(model.discriminator, seeds)
    : buildMlpDiscriminator(model.discriminator, dataShape, seeds);
}

function checkArguments(model: ModelConfig, dataShape: number[], seed: number): void {
  if (!Number.isInteger(seed)) {
    throw new Error(`Invalid model seed ${seed}: expected an integer. Pass the run's seed.`);
  }
  if (dataShape.length === 0 || !dataShape.every((size) => Number.isInteger(size) && size > 0)) {
    throw new Error(`Invalid data shape ${JSON.stringify(dataShape)}: expected positive integer sizes, e.g. [2] or [28, 28, 1].`);
  }
  const isDcganShape = dataShape.length === 3 && dataShape.every((size, axis) => size === DCGAN_SHAPE[axis]);
  if (model.architecture === 'dcgan' && !isDcganShape) {
    throw new Error(
      `The DCGAN model needs data of shape [28, 28, 1], but got ${JSON.stringify(dataShape)}. Use architecture "mlp" for this dataset.`,
    );
  }
}

/** Returns a function that yields a new initializer seed per layer, derived from the run seed and the network's role. */
function createSeedSequence(seed: number, role: 'generator' | 'discriminator'): () => number {
  const random = seedrandom(`${role}:${seed}`);
  return () => Math.floor(random() * 2 ** 31);
}

function kernelInitializer(seeds: () => number): ReturnType<typeof tf.initializers.glorotUniform> {
  return tf.initializers.glorotUniform({ seed: seeds() });
}

/**
 * Returns the normalization layer, or null for 'none'. Batch normalization uses PyTorch's
 * BatchNorm2d defaults (ε = 1e-5, momentum 0.1, which is 0.9 in the Keras convention that tfjs
 * uses), so that runs compare with the PyTorch peer. Layer normalization (Ba et al. 2016)
 * normalizes each example over `layerAxes`.
 */
function normalizationLayer(kind: Normalization, layerAxes: number[]): tf.layers.Layer | null {
  switch (kind) {
    case 'batch':
      return tf.layers.batchNormalization({ axis: -1, momentum: 0.9, epsilon: 1e-5 });
    case 'layer':
      return tf.layers.layerNormalization({ axis: layerAxes, epsilon: 1e-5 });
    case 'none':
      return null;
  }
}

/** Adds the optional normalization layer, then the activation layer. */
function addNormalizationAndActivation(
  network: tf.Sequential,
  normalization: Normalization,
  layerAxes: number[],
  activation: tf.layers.Layer,
): void {
  const norm = normalizationLayer(normalization, layerAxes);
  if (norm !== null) network.add(norm);
  network.add(activation);
}

function buildMlpGenerator(latentSize: number, config: NetworkConfig, dataShape: number[], seeds: () => number): tf.LayersModel {
  const network = tf.sequential({ name: 'generator' });
  const outputSize = dataShape.reduce((product, size) => product * size, 1);
  const isImage = dataShape.length > 1;

  const inputShapeOfLayer = (layer: number) => (layer === 0 ? { inputShape: [latentSize] } : {});

  for (let layer = 0; layer < config.depth; layer++) {
    network.add(
      tf.layers.dense({
        ...inputShapeOfLayer(layer),
        units: config.width,
        // Normalization has its own shift, so the bias would be redundant.
        useBias: config.normalization === 'none',
        kernelInitializer: kernelInitializer(seeds),
      }),
    );
    addNormalizationAndActivation(network, config.normalization, [-1], tf.layers.activation({ activation: 'relu' }));
  }

  network.add(
    tf.layers.dense({
      ...inputShapeOfLayer(config.depth),
      units: outputSize,
      activation: isImage ? 'tanh' : 'linear',
      kernelInitializer: kernelInitializer(seeds),
    }),
  );
  if (isImage) network.add(tf.layers.reshape({ targetShape: dataShape }));
  return network;
}

function buildMlpDiscriminator(config: NetworkConfig, dataShape: number[], seeds: () => number): tf.LayersModel {
  const network = tf.sequential({ name: 'discriminator' });
  // Flatten needs rank ≥ 2 per example, so vectors go straight into the first dense layer.
  const isVector = dataShape.length === 1;
  if (!isVector) network.add(tf.layers.flatten({ inputShape: dataShape }));
  const inputShapeOfLayer = (layer: number) => (isVector && layer === 0 ? { inputShape: dataShape } : {});

  for (let layer = 0; layer < config.depth; layer++) {
    network.add(
      tf.layers.dense({
        ...inputShapeOfLayer(layer),
        units: config.width,
        useBias: config.normalization === 'none',
        kernelInitializer: kernelInitializer(seeds),
      }),
    );
    addNormalizationAndActivation(network, config.normalization, [-1], tf.layers.leakyReLU({ alpha: LEAKY_RELU_ALPHA }));
  }

  network.add(tf.layers.dense({ ...inputShapeOfLayer(config.depth), units: 1, kernelInitializer: kernelInitializer(seeds) }));
  return network;
}

/** Adds `count` blocks of 3×3 stride-1 convolution, normalization and LeakyReLU at the current resolution. */
function addExtraConvBlocks(network: tf.Sequential, count: number, filters: number, normalization: Normalization, seeds: () => number): void {
  for (let block = 0; block < count; block++) {
    network.add(
      tf.layers.conv2d({
        filters,
        kernelSize: 3,
        strides: 1,
        padding: 'same',
        useBias: normalization === 'none',
        kernelInitializer: kernelInitializer(seeds),
      }),
    );
    addNormalizationAndActivation(network, normalization, [1, 2, 3], tf.layers.leakyReLU({ alpha: LEAKY_RELU_ALPHA }));
  }
}

/**
 * DCGAN generator: dense latent → 7·7·2w, normalization, LeakyReLU, then two 4×4 stride-2
 * transposed convolutions (2w → w at 14×14, w → 1 at 28×28, tanh). `depth` extra 3×3 blocks
 * run at 7×7 and at 14×14; none at 28×28, where only the single output channel remains.
 */
function buildDcganGenerator(latentSize: number, config: NetworkConfig, seeds: () => number): tf.LayersModel {
  const network = tf.sequential({ name: 'generator' });
  const width = config.width;
  const withBias = config.normalization === 'none';

  network.add(
    tf.layers.dense({ inputShape: [latentSize], units: 7 * 7 * 2 * width, useBias: withBias, kernelInitializer: kernelInitializer(seeds) }),
  );
  addNormalizationAndActivation(network, config.normalization, [-1], tf.layers.leakyReLU({ alpha: LEAKY_RELU_ALPHA }));
  network.add(tf.layers.reshape({ targetShape: [7, 7, 2 * width] }));
  addExtraConvBlocks(network, config.depth, 2 * width, config.normalization, seeds);

  // [7, 7, 2w] → [14, 14, w]
  network.add(
    tf.layers.conv2dTranspose({
      filters: width,
      kernelSize: 4,
      strides: 2,
      padding: 'same',
      useBias: withBias,
      kernelInitializer: kernelInitializer(seeds),
    }),
  );
  addNormalizationAndActivation(network, config.normalization, [1, 2, 3], tf.layers.leakyReLU({ alpha: LEAKY_RELU_ALPHA }));
  addExtraConvBlocks(network, config.depth, width, config.normalization, seeds);

  // [14, 14, w] → [28, 28, 1]
  network.add(
    tf.layers.conv2dTranspose({
      filters: 1,
      kernelSize: 4,
      strides: 2,
      padding: 'same',
      activation: 'tanh',
      kernelInitializer: kernelInitializer(seeds),
    }),
  );
  return network;
}

/**
 * DCGAN discriminator: 4×4 stride-2 convolutions 1 → w (LeakyReLU 0.2, no normalization on the
 * first layer, as in Radford et al. 2016) and w → 2w (normalization, LeakyReLU 0.2), `depth`
 * extra 3×3 blocks at 14×14 and at 7×7, then flatten and dense → 1 logit.
 */
function buildDcganDiscriminator(config: NetworkConfig, seeds: () => number): tf.LayersModel {
  const network = tf.sequential({ name: 'discriminator' });
  const width = config.width;

  // [28, 28, 1] → [14, 14, w]
  network.add(
    tf.layers.conv2d({
      inputShape: [...DCGAN_SHAPE],
      filters: width,
      kernelSize: 4,
      strides: 2,
      padding: 'same',
      kernelInitializer: kernelInitializer(seeds),
    }),
  );
  network.add(tf.layers.leakyReLU({ alpha: LEAKY_RELU_ALPHA }));
  addExtraConvBlocks(network, config.depth, width, config.normalization, seeds);

  // [14, 14, w] → [7, 7, 2w]
  network.add(
    tf.layers.conv2d({
      filters: 2 * width,
      kernelSize: 4,
      strides: 2,
      padding: 'same',
      useBias: config.normalization === 'none',
      kernelInitializer: kernelInitializer(seeds),
    }),
  );
  addNormalizationAndActivation(network, config.normalization, [1, 2, 3], tf.layers.leakyReLU({ alpha: LEAKY_RELU_ALPHA }));
  addExtraConvBlocks(network, config.depth, 2 * width, config.normalization, seeds);

  network.add(tf.layers.flatten());
  network.add(tf.layers.dense({ units: 1, kernelInitializer: kernelInitializer(seeds) }));
  return network;
}
