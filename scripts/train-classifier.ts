// Trains the Fashion-MNIST feature classifier of the mode-collapse indicators and writes it to
// resources/classifiers/fashion-mnist/, where the app finds it without training it again.
//
//   npx tsx scripts/train-classifier.ts [--epochs 4] [--limit N] [--out DIR] [--backend wasm]
//
// --limit trains on the first N training images only (for a quick check of the script).
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { BACKEND_CHOICES, type BackendChoice } from '../src/shared/config';
import { selectBackend } from '../src/main/training/backend';
import { loadFashionMnist } from '../src/main/data/fashion-mnist';
import { hashImageContent } from '../src/main/data/image-dataset';
import { DEFAULT_CLASSIFIER_TRAINING, trainClassifier } from '../src/main/classifier/train-classifier';
import { CLASSIFIER_FORMAT_VERSION, saveClassifier } from '../src/main/classifier/classifier-weights';
import { FEATURE_SIZE } from '../src/main/classifier/classifier-model';

const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: String(DEFAULT_CLASSIFIER_TRAINING.epochs) },
    limit: { type: 'string' },
    out: { type: 'string', default: fileURLToPath(new URL('../resources/classifiers/fashion-mnist', import.meta.url)) },
    backend: { type: 'string', default: 'wasm' },
  },
});

const epochs = Number(values.epochs);
if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`Invalid --epochs ${values.epochs}: expected a positive integer.`);
if (!BACKEND_CHOICES.includes(values.backend as BackendChoice)) {
  throw new Error(`Invalid --backend ${values.backend}: expected one of ${BACKEND_CHOICES.join(', ')}.`);
}

const backend = await selectBackend(values.backend as BackendChoice);
const train = await loadFashionMnist({ kind: 'fashion-mnist', split: 'train' });
const test = await loadFashionMnist({ kind: 'fashion-mnist', split: 'test' });
const limit = values.limit === undefined ? train.images.count : Math.min(train.images.count, Number(values.limit));
if (!Number.isInteger(limit) || limit < 1) throw new Error(`Invalid --limit ${values.limit}: expected a positive integer.`);

console.log(`training on ${limit} images, ${epochs} epochs, backend ${backend.name}`);
const result = trainClassifier(
  { count: limit, pixels: train.images.pixels.subarray(0, limit * 784), labels: train.labels.labels.subarray(0, limit) },
  { count: test.images.count, pixels: test.images.pixels, labels: test.labels.labels },
  {
    ...DEFAULT_CLASSIFIER_TRAINING,
    classes: 10,
    epochs,
    onEpoch: (epoch, loss) => console.log(`epoch ${epoch}: mean loss ${loss.toFixed(4)}`),
  },
);
console.log(`test accuracy ${(result.testAccuracy * 100).toFixed(2)}% on ${test.images.count} images, ${(result.trainingMs / 1000).toFixed(0)} s`);

await saveClassifier(values.out!, result.model, {
  format: CLASSIFIER_FORMAT_VERSION,
  datasetHashes: [hashImageContent(train.images, train.labels), hashImageContent(test.images, test.labels)],
  trainedOn: limit === train.images.count ? 'fashion-mnist/train' : `fashion-mnist/train (first ${limit})`,
  classes: 10,
  featureSize: FEATURE_SIZE,
  testAccuracy: result.testAccuracy,
  testItems: test.images.count,
  epochs,
  trainingMs: result.trainingMs,
  backend: backend.name,
  createdAt: new Date().toISOString(),
});
console.log(`saved to ${values.out}`);
