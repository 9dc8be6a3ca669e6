// The feature classifier of the mode-collapse indicators: a small convolutional network that
// labels 28×28×1 images (pixels in [-1, 1], the generator's tanh range). Its penultimate layer
// is the feature space of the Fréchet distance, precision/recall, density/coverage, NDB and
// diversity.
import * as tf from '@tensorflow/tfjs';

/** Input shape of one image. */
export const CLASSIFIER_INPUT_SHAPE = [28, 28, 1] as const;
/** Name of the penultimate dense layer whose activations are the features. */
export const FEATURE_LAYER_NAME = 'features';
/** Width of the penultimate layer: the dimension of the feature space. */
export const FEATURE_SIZE = 64;

/**
 * Builds the classifier: conv 3×3 (16) → max-pool 2 → conv 3×3 (32) → max-pool 2 → dense 64
 * (ReLU, the features) → dense `classes` (logits, no softmax). About 106 k weights for 10 classes, so
 * the float32 weights take about 420 KB.
 */
export function buildClassifier(classes: number, seed: number): tf.Sequential {
  if (!Number.isInteger(classes) || classes < 2) {
    throw new RangeError(`Invalid classes: expected an integer of at least 2, found ${classes}. A classifier needs two or more labels.`);
  }
  let layerSeed = seed;
  const init = () => tf.initializers.glorotUniform({ seed: layerSeed++ });

  const model = tf.sequential();
  // [28, 28, 1] → [28, 28, 16] → [14, 14, 16]
  model.add(tf.layers.conv2d({ inputShape: [...CLASSIFIER_INPUT_SHAPE], filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init() }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  // → [14, 14, 32] → [7, 7, 32]
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init() }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  // → [1568] → [64] features → [classes] logits
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ name: FEATURE_LAYER_NAME, units: FEATURE_SIZE, activation: 'relu', kernelInitializer: init() }));
  model.add(tf.layers.dense({ units: classes, kernelInitializer: init() }));
  return model;
}

/** Returns a model that shares `classifier`'s weights and outputs its penultimate features. */
export function featureExtractor(classifier: tf.LayersModel): tf.LayersModel {
  const features = classifier.getLayer(FEATURE_LAYER_NAME).output as tf.SymbolicTensor;
  return tf.model({ inputs: classifier.inputs, outputs: features });
}
