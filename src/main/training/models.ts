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
import { LayerNorm } from './layer-norm';
import { SpectralConv2D, SpectralConv2DTranspose, SpectralDense } from './spectral-norm-layers';

/** The image shape the DCGAN is built for. */
const DCGAN_SHAPE = [28, 28, 1] as const;
const LEAKY_RELU_ALPHA = 0.2;

export interface BuildOptions {
  /** Spectrally normalize every dense and convolution layer (spectral-norm-layers.ts). The
   * kernels start with the same weights as without it. Default false. */
  spectralNorm?: boolean;
}

/**
 * Builds G: latent vector [latentSize] → one example of `dataShape`. Outputs are linear for
 * 2-D points and tanh (range −1…1) for images. The same `seed` gives the same weights.
 */
export function buildGenerator(model: ModelConfig, dataShape: number[], seed: number, options: BuildOptions = {}): tf.LayersModel {
  checkArguments(model, dataShape, seed);
  const layers = new LayerMaker(seed, 'generator', options.spectralNorm ?? false);

  return model.architecture === 'dcgan'
    ? buildDcganGenerator(model.latentSize, model.generator, layers)
    : buildMlpGenerator(model.latentSize, model.generator, dataShape, layers);
}

/** Builds D: one example of `dataShape` → one logit, shape [batch, 1]. The same `seed` gives the same weights. */
export function buildDiscriminator(model: ModelConfig, dataShape: number[], seed: number, options: BuildOptions = {}): tf.LayersModel {
  checkArguments(model, dataShape, seed);
  const layers = new LayerMaker(seed, 'discriminator', options.spectralNorm ?? false);

  return model.architecture === 'dcgan'
    ? buildDcganDiscriminator(model.discriminator, layers)
    : buildMlpDiscriminator(model.discriminator, dataShape, layers);
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
function createSeedSequence(seed: number, role: string): () => number {
  const random = seedrandom(`${role}:${seed}`);
  return () => Math.floor(random() * 2 ** 31);
}

function kernelInitializer(seeds: () => number): ReturnType<typeof tf.initializers.glorotUniform> {
  return tf.initializers.glorotUniform({ seed: seeds() });
}

interface DenseArgs {
  inputShape?: number[];
  units: number;
  useBias?: boolean;
  activation?: 'tanh' | 'linear';
}

interface ConvArgs {
  inputShape?: number[];
  filters: number;
  kernelSize: number;
  strides: number;
  useBias?: boolean;
  activation?: 'tanh';
}

/**
 * Adds the dense and convolution layers of one network, plain or spectrally normalized. Each
 * layer draws one kernel seed in build order, so both kinds start from the same kernels; the
 * start vectors u of spectral norm come from a seed stream of their own.
 */
class LayerMaker {
  private readonly seeds: () => number;
  private readonly spectralSeeds: (() => number) | null;

  constructor(seed: number, role: 'generator' | 'discriminator', spectralNorm: boolean) {
    this.seeds = createSeedSequence(seed, role);
    this.spectralSeeds = spectralNorm ? createSeedSequence(seed, `${role}:spectral-norm`) : null;
  }

  dense(network: tf.Sequential, args: DenseArgs): void {
    const kernel = kernelInitializer(this.seeds);
    if (this.spectralSeeds === null) {
      network.add(tf.layers.dense({ ...args, kernelInitializer: kernel }));
      return;
    }

    const { activation, ...rest } = args;
    network.add(new SpectralDense({ ...rest, kernelInitializer: kernel, seed: this.spectralSeeds() }));
    if (activation !== undefined && activation !== 'linear') network.add(tf.layers.activation({ activation }));
  }

  conv2d(network: tf.Sequential, args: ConvArgs): void {
    const kernel = kernelInitializer(this.seeds);
    if (this.spectralSeeds === null) {
      network.add(tf.layers.conv2d({ ...args, padding: 'same', kernelInitializer: kernel }));
      return;
    }

    const { activation, ...rest } = args;
    network.add(new SpectralConv2D({ ...rest, kernelInitializer: kernel, seed: this.spectralSeeds() }));
    if (activation !== undefined) network.add(tf.layers.activation({ activation }));
  }

  conv2dTranspose(network: tf.Sequential, args: ConvArgs): void {
    const kernel = kernelInitializer(this.seeds);
    if (this.spectralSeeds === null) {
      network.add(tf.layers.conv2dTranspose({ ...args, padding: 'same', kernelInitializer: kernel }));
      return;
    }

    const { activation, ...rest } = args;
    network.add(new SpectralConv2DTranspose({ ...rest, kernelInitializer: kernel, seed: this.spectralSeeds() }));
    if (activation !== undefined) network.add(tf.layers.activation({ activation }));
  }
}

/**
 * Returns the normalization layer, or null for 'none'. Batch normalization uses PyTorch's
 * BatchNorm2d defaults (ε = 1e-5, momentum 0.1, which is 0.9 in the Keras convention that tfjs
 * uses), so that runs compare with the PyTorch peer. Layer normalization (Ba et al. 2016)
 * normalizes each example over `layerAxes`. It uses LayerNorm (layer-norm.ts) instead of
 * tf.layers.layerNormalization, because a gradient penalty through the latter runs the wasm
 * backend out of memory at batch 64, as layer-norm.ts explains.
 */
function normalizationLayer(kind: Normalization, layerAxes: number[]): tf.layers.Layer | null {
  switch (kind) {
    case 'batch':
      return tf.layers.batchNormalization({ axis: -1, momentum: 0.9, epsilon: 1e-5 });
    case 'layer':
      return new LayerNorm({ axis: layerAxes, epsilon: 1e-5 });
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

function buildMlpGenerator(latentSize: number, config: NetworkConfig, dataShape: number[], layers: LayerMaker): tf.LayersModel {
  const network = tf.sequential({ name: 'generator' });
  const outputSize = dataShape.reduce((product, size) => product * size, 1);
  const isImage = dataShape.length > 1;

  const inputShapeOfLayer = (layer: number) => (layer === 0 ? { inputShape: [latentSize] } : {});

  for (let layer = 0; layer < config.depth; layer++) {
    layers.dense(network, {
      ...inputShapeOfLayer(layer),
      units: config.width,
      // Normalization has its own shift, so the bias would be redundant.
      useBias: config.normalization === 'none',
    });
    addNormalizationAndActivation(network, config.normalization, [-1], tf.layers.activation({ activation: 'relu' }));
  }

  layers.dense(network, { ...inputShapeOfLayer(config.depth), units: outputSize, activation: isImage ? 'tanh' : 'linear' });
  if (isImage) network.add(tf.layers.reshape({ targetShape: dataShape }));
  return network;
}

function buildMlpDiscriminator(config: NetworkConfig, dataShape: number[], layers: LayerMaker): tf.LayersModel {
  const network = tf.sequential({ name: 'discriminator' });
  // Flatten needs rank ≥ 2 per example, so vectors go straight into the first dense layer.
  const isVector = dataShape.length === 1;
  if (!isVector) network.add(tf.layers.flatten({ inputShape: dataShape }));
  const inputShapeOfLayer = (layer: number) => (isVector && layer === 0 ? { inputShape: dataShape } : {});

  for (let layer = 0; layer < config.depth; layer++) {
    layers.dense(network, { ...inputShapeOfLayer(layer), units: config.width, useBias: config.normalization === 'none' });
    addNormalizationAndActivation(network, config.normalization, [-1], tf.layers.leakyReLU({ alpha: LEAKY_RELU_ALPHA }));
  }

  layers.dense(network, { ...inputShapeOfLayer(config.depth), units: 1 });
  return network;
}

/** Adds `count` blocks of 3×3 stride-1 convolution, normalization and LeakyReLU at the current resolution. */
function addExtraConvBlocks(network: tf.Sequential, count: number, filters: number, normalization: Normalization, layers: LayerMaker): void {
  for (let block = 0; block < count; block++) {
    layers.conv2d(network, { filters, kernelSize: 3, strides: 1, useBias: normalization === 'none' });
    addNormalizationAndActivation(network, normalization, [1, 2, 3], tf.layers.leakyReLU({ alpha: LEAKY_RELU_ALPHA }));
  }
}

/**
 * DCGAN generator: dense latent → 7·7·2w, normalization, LeakyReLU, then two 4×4 stride-2
 * transposed convolutions (2w → w at 14×14, w → 1 at 28×28, tanh). `depth` extra 3×3 blocks
 * run at 7×7 and at 14×14; none at 28×28, where only the single output channel remains.
 */
function buildDcganGenerator(latentSize: number, config: NetworkConfig, layers: LayerMaker): tf.LayersModel {
  const network = tf.sequential({ name: 'generator' });
  const width = config.width;
  const withBias = config.normalization === 'none';

  layers.dense(network, { inputShape: [latentSize], units: 7 * 7 * 2 * width, useBias: withBias });
  addNormalizationAndActivation(network, config.normalization, [-1], tf.layers.leakyReLU({ alpha: LEAKY_RELU_ALPHA }));
  network.add(tf.layers.reshape({ targetShape: [7, 7, 2 * width] }));
  addExtraConvBlocks(network, config.depth, 2 * width, config.normalization, layers);

  // [7, 7, 2w] → [14, 14, w]
  layers.conv2dTranspose(network, { filters: width, kernelSize: 4, strides: 2, useBias: withBias });
  addNormalizationAndActivation(network, config.normalization, [1, 2, 3], tf.layers.leakyReLU({ alpha: LEAKY_RELU_ALPHA }));
  addExtraConvBlocks(network, config.depth, width, config.normalization, layers);

  // [14, 14, w] → [28, 28, 1]
  layers.conv2dTranspose(network, { filters: 1, kernelSize: 4, strides: 2, activation: 'tanh' });
  return network;
}

/**
 * DCGAN discriminator: 4×4 stride-2 convolutions 1 → w (LeakyReLU 0.2, no normalization on the
 * first layer, as in Radford et al. 2016) and w → 2w (normalization, LeakyReLU 0.2), `depth`
 * extra 3×3 blocks at 14×14 and at 7×7, then flatten and dense → 1 logit.
 */
function buildDcganDiscriminator(config: NetworkConfig, layers: LayerMaker): tf.LayersModel {
  const network = tf.sequential({ name: 'discriminator' });
  const width = config.width;

  // [28, 28, 1] → [14, 14, w]
  layers.conv2d(network, { inputShape: [...DCGAN_SHAPE], filters: width, kernelSize: 4, strides: 2 });
  network.add(tf.layers.leakyReLU({ alpha: LEAKY_RELU_ALPHA }));
  addExtraConvBlocks(network, config.depth, width, config.normalization, layers);

  // [14, 14, w] → [7, 7, 2w]
  layers.conv2d(network, { filters: 2 * width, kernelSize: 4, strides: 2, useBias: config.normalization === 'none' });
  addNormalizationAndActivation(network, config.normalization, [1, 2, 3], tf.layers.leakyReLU({ alpha: LEAKY_RELU_ALPHA }));
  addExtraConvBlocks(network, config.depth, 2 * width, config.normalization, layers);

  network.add(tf.layers.flatten());
  layers.dense(network, { units: 1 });
  return network;
}
