// Trains the feature classifier on labelled 28×28 images with Adam and cross-entropy, one
// seeded shuffle per epoch, and measures its accuracy on held-out images.
import * as tf from '@tensorflow/tfjs';
import { createSeededRandom } from '../data/random';
import { buildClassifier } from './classifier-model';

/** Labelled images as bytes: `pixels` contains count × 28 × 28 values in [0, 255]. */
export interface LabelledImages {
  count: number;
  pixels: Uint8Array;
  labels: Uint8Array;
}

export interface ClassifierTrainingOptions {
  classes: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** Called after each epoch with the mean training loss of that epoch (one tensor read per epoch). */
  onEpoch?: (epoch: number, meanLoss: number) => void;
}

export const DEFAULT_CLASSIFIER_TRAINING: Omit<ClassifierTrainingOptions, 'classes'> = {
  epochs: 4,
  batchSize: 64,
  learningRate: 1e-3,
  seed: 0,
};

const PIXELS_PER_IMAGE = 28 * 28;

/** Converts the images at `indices` to one [n, 28, 28, 1] tensor in [-1, 1], the generator's range. */
export function imagesToTensor(pixels: Uint8Array, indices: ArrayLike<number>): tf.Tensor4D {
  const values = new Float32Array(indices.length * PIXELS_PER_IMAGE);
  for (let i = 0; i < indices.length; i++) {
    const source = indices[i] * PIXELS_PER_IMAGE;
    for (let p = 0; p < PIXELS_PER_IMAGE; p++) values[i * PIXELS_PER_IMAGE + p] = pixels[source + p] / 127.5 - 1;
  }
  return tf.tensor4d(values, [indices.length, 28, 28, 1]);
}

function checkSet(name: string, set: LabelledImages, classes: number): void {
  if (set.count === 0 || set.pixels.length !== set.count * PIXELS_PER_IMAGE || set.labels.length !== set.count) {
    throw new RangeError(
      `Invalid ${name} set: expected ${set.count} images of 28×28 pixels and as many labels, found ${set.pixels.length} pixel bytes and ${set.labels.length} labels.`,
    );
  }
  const maxLabel = set.labels.reduce((max, label) => Math.max(max, label), 0);
  if (maxLabel >= classes) {
    throw new RangeError(`Invalid ${name} labels: expected labels below ${classes}, found ${maxLabel}. Pass the number of classes the labels use.`);
  }
}

/** Returns the share of `set` that `model` labels correctly, in batches of 500 images. */
export function classifierAccuracy(model: tf.LayersModel, set: LabelledImages): number {
  let correct = 0;
  for (let start = 0; start < set.count; start += 500) {
    const end = Math.min(set.count, start + 500);
    const indices = Uint32Array.from({ length: end - start }, (_, i) => start + i);
    const predicted = tf.tidy(() => (model.predict(imagesToTensor(set.pixels, indices)) as tf.Tensor).argMax(-1).dataSync());
    for (let i = 0; i < predicted.length; i++) if (predicted[i] === set.labels[start + i]) correct++;
  }
  return correct / set.count;
}

/**
 * Trains a new classifier on `train` and returns it with its accuracy on `test`.
 * The result depends only on the data and the options (on one backend).
 */
export function trainClassifier(train: LabelledImages, test: LabelledImages, options: ClassifierTrainingOptions): { model: tf.Sequential; testAccuracy: number; trainingMs: number } {
  checkSet('training', train, options.classes);
  checkSet('test', test, options.classes);
  const started = Date.now();
  const model = buildClassifier(options.classes, options.seed);
  const optimizer = tf.train.adam(options.learningRate);
  const random = createSeededRandom(options.seed, 'classifier');
  const order = Uint32Array.from({ length: train.count }, (_, i) => i);

  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = random.integer(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }

    let lossSum = tf.scalar(0);
    let batches = 0;
    for (let start = 0; start < order.length; start += options.batchSize) {
      const indices = order.subarray(start, Math.min(order.length, start + options.batchSize));
      const batchLoss = tf.tidy(() => {
        const x = imagesToTensor(train.pixels, indices);
        const y = tf.oneHot(tf.tensor1d(Array.from(indices, (index) => train.labels[index]), 'int32'), options.classes);
        return optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true) as tf.Scalar;
      });
      const next = tf.add(lossSum, batchLoss);
      tf.dispose([lossSum, batchLoss]);
      lossSum = next as tf.Scalar;
      batches++;
    }
    const meanLoss = lossSum.dataSync()[0] / batches;
    lossSum.dispose();
    options.onEpoch?.(epoch, meanLoss);
  }

  optimizer.dispose();
  return { model, testAccuracy: classifierAccuracy(model, test), trainingMs: Date.now() - started };
}
