// Feature matching (Salimans et al. 2016, "Improved Techniques for Training GANs"): G matches the
// mean of D's hidden features on real data instead of, or besides, fooling D's output:
// ‖E_x f(x) − E_z f(G(z))‖², with f the output of one hidden layer of D.
import * as tf from '@tensorflow/tfjs';

/** Class names of the layers that close a hidden block of D (see models.ts). */
const HIDDEN_ACTIVATIONS = new Set(['LeakyReLU']);

/** Returns the indices in `discriminator.layers` of D's hidden layers: the activation closing each hidden block. */
export function hiddenLayerIndices(discriminator: tf.LayersModel): number[] {
  const indices: number[] = [];
  discriminator.layers.forEach((layer, index) => {
    if (HIDDEN_ACTIVATIONS.has(layer.getClassName())) indices.push(index);
  });
  return indices;
}

/** Maps `hiddenLayer` (0 the first hidden layer, −1 the last) to an index in `discriminator.layers`. */
export function resolveFeatureLayer(discriminator: tf.LayersModel, hiddenLayer: number): number {
  const hidden = hiddenLayerIndices(discriminator);
  if (hidden.length === 0) {
    throw new Error('Feature matching needs a hidden layer in D, but D has none; set the discriminator depth to at least 1 (mlp).');
  }
  const position = hiddenLayer < 0 ? hidden.length + hiddenLayer : hiddenLayer;
  if (position < 0 || position >= hidden.length) {
    throw new Error(
      `Invalid featureMatching.layer ${hiddenLayer}: D has ${hidden.length} hidden layers, so expected ${-hidden.length} to ${hidden.length - 1}.`,
    );
  }
  return hidden[position];
}

/**
 * Applies a sequential model layer by layer and returns its output together with the output of
 * layer `featureLayer` (an index in `model.layers`), in one forward pass.
 */
export function applyWithFeatures(model: tf.LayersModel, x: tf.Tensor, featureLayer: number, training: boolean): { output: tf.Tensor; features: tf.Tensor } {
  let current = x;
  let features: tf.Tensor | null = null;
  model.layers.forEach((layer, index) => {
    current = layer.apply(current, { training }) as tf.Tensor;
    if (index === featureLayer) features = current;
  });
  if (features === null) {
    throw new Error(`Feature layer ${featureLayer} is not in the model, which has ${model.layers.length} layers.`);
  }
  return { output: current, features };
}

/** ‖mean_batch realFeatures − mean_batch fakeFeatures‖², summed over every feature entry. */
export function featureMatchingLoss(realFeatures: tf.Tensor, fakeFeatures: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.square(tf.sub(tf.mean(realFeatures, 0), tf.mean(fakeFeatures, 0)))) as tf.Scalar);
}
