import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/main/data/dataset';
import { isFashionMnistInstalled, loadFashionMnist } from '../../src/main/data/fashion-mnist';
import { selectBackend } from '../../src/main/training/backend';
import { buildClassifier, featureExtractor, FEATURE_SIZE } from '../../src/main/classifier/classifier-model';
import { CLASSIFIER_FORMAT_VERSION, loadClassifier, saveClassifier } from '../../src/main/classifier/classifier-weights';
import { classifierAccuracy, trainClassifier, type LabelledImages } from '../../src/main/classifier/train-classifier';
import { defaultClassifierLocations, obtainClassifier } from '../../src/main/classifier/classifier-cache';

// Real Fashion-MNIST files from Debian's dataset-fashion-mnist package; nothing is mocked.
const haveFashionMnist = isFashionMnistInstalled();
let train: LabelledImages;
let test: LabelledImages;
const folders: string[] = [];

function temporaryFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'classifier-test-'));
  folders.push(dir);
  return dir;
}

/** Writes the first `count` items of a set as plain (uncompressed) IDX image and label files. */
function writeIdx(dir: string, set: LabelledImages, count: number): { imagesPath: string; labelsPath: string } {
  const images = Buffer.alloc(16 + count * 784);
  images.writeUInt32BE(0x00000803, 0);
  images.writeUInt32BE(count, 4);
  images.writeUInt32BE(28, 8);
  images.writeUInt32BE(28, 12);
  images.set(set.pixels.subarray(0, count * 784), 16);
  const labels = Buffer.alloc(8 + count);
  labels.writeUInt32BE(0x00000801, 0);
  labels.writeUInt32BE(count, 4);
  labels.set(set.labels.subarray(0, count), 8);

  const paths = { imagesPath: join(dir, 'images-idx3-ubyte'), labelsPath: join(dir, 'labels-idx1-ubyte') };
  writeFileSync(paths.imagesPath, images);
  writeFileSync(paths.labelsPath, labels);
  return paths;
}

const slice = (set: LabelledImages, count: number): LabelledImages => ({ count, pixels: set.pixels.subarray(0, count * 784), labels: set.labels.subarray(0, count) });

beforeAll(async () => {
  await selectBackend('wasm');
  if (!haveFashionMnist) return;
  const trainSplit = await loadFashionMnist({ kind: 'fashion-mnist', split: 'train' });
  const testSplit = await loadFashionMnist({ kind: 'fashion-mnist', split: 'test' });
  train = { count: trainSplit.images.count, pixels: trainSplit.images.pixels, labels: trainSplit.labels.labels };
  test = { count: testSplit.images.count, pixels: testSplit.images.pixels, labels: testSplit.labels.labels };
});

afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

describe('buildClassifier', () => {
  it('outputs logits and features', () => {
    const model = buildClassifier(10, 1);
    const features = featureExtractor(model);
    const [logits, feature] = tf.tidy(() => {
      const x = tf.zeros([3, 28, 28, 1]);
      return [(model.predict(x) as tf.Tensor).shape, (features.predict(x) as tf.Tensor).shape];
    });
    expect(logits).toEqual([3, 10]);
    expect(feature).toEqual([3, FEATURE_SIZE]);
    model.dispose();
  });

  it('rejects a single class', () => {
    expect(() => buildClassifier(1, 0)).toThrow(/at least 2, found 1/);
  });
});

describe.skipIf(!haveFashionMnist)('trainClassifier', () => {
  it('learns Fashion-MNIST from 2,000 images', () => {
    const before = tf.memory().numTensors;
    const result = trainClassifier(slice(train, 2000), slice(test, 1000), { classes: 10, epochs: 1, batchSize: 64, learningRate: 1e-3, seed: 0 });
    // Chance is 10%; one epoch on 2,000 images reaches about 70%.
    expect(result.testAccuracy).toBeGreaterThan(0.6);
    result.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a label beyond the classes', () => {
    expect(() => trainClassifier(slice(train, 100), slice(test, 100), { classes: 5, epochs: 1, batchSize: 64, learningRate: 1e-3, seed: 0 })).toThrow(
      /expected labels below 5, found 9/,
    );
  });
});

describe('saveClassifier', () => {
  it('round-trips weights and info', async () => {
    const dir = temporaryFolder();
    const model = buildClassifier(10, 3);
    const info = { format: CLASSIFIER_FORMAT_VERSION, datasetHashes: ['abc'], trainedOn: 'test', classes: 10, featureSize: FEATURE_SIZE, testAccuracy: 0.5, testItems: 1, epochs: 0, trainingMs: 0, backend: 'wasm', createdAt: 'now' };
    await saveClassifier(dir, model, info);
    const loaded = await loadClassifier(dir);

    const input = tf.randomUniform([4, 28, 28, 1], -1, 1, 'float32', 5);
    const expected = (model.predict(input) as tf.Tensor).dataSync();
    const actual = (loaded.model.predict(input) as tf.Tensor).dataSync();
    expect(Array.from(actual)).toEqual(Array.from(expected));
    expect(loaded.info).toEqual(info);
    input.dispose();
    model.dispose();
    loaded.model.dispose();
  });

  it('names the folder when files are missing', async () => {
    const dir = temporaryFolder();
    await expect(loadClassifier(dir)).rejects.toThrow(new RegExp(`Reading classifier info ${dir}/classifier.json failed`));
  });
});

describe.skipIf(!haveFashionMnist)('obtainClassifier', () => {
  it('trains once, then loads from the cache', async () => {
    const dataDir = temporaryFolder();
    const locations = { shippedDir: null, cacheDir: temporaryFolder() };
    const dataset = await loadDataset({ kind: 'idx', ...writeIdx(dataDir, train, 600) }, 0);
    const messages: string[] = [];

    const first = await obtainClassifier(dataset.identity, locations, { epochs: 1, onTraining: (message) => messages.push(message) });
    expect(first.source).toBe('trained');
    expect(first.dir).toBe(join(locations.cacheDir, dataset.identity.contentHash));
    expect(first.info.testItems).toBe(60);
    expect(first.info.classes).toBe(10);
    expect(messages).toHaveLength(1);

    const second = await obtainClassifier(dataset.identity, locations, { epochs: 1, onTraining: (message) => messages.push(message) });
    expect(second.source).toBe('cache');
    expect(second.info).toEqual(first.info);
    expect(messages).toHaveLength(1);
    first.model.dispose();
    second.model.dispose();
  });

  it('rejects a dataset without labels', async () => {
    const dataDir = temporaryFolder();
    const { imagesPath } = writeIdx(dataDir, train, 50);
    const dataset = await loadDataset({ kind: 'idx', imagesPath }, 0);
    await expect(obtainClassifier(dataset.identity, { shippedDir: null, cacheDir: temporaryFolder() })).rejects.toThrow(/has no label file to train one from/);
  });

  it('finds the shipped Fashion-MNIST classifier', async () => {
    const locations = defaultClassifierLocations({ GAN_WORKBENCH_CLASSIFIER_CACHE: temporaryFolder() });
    const dataset = await loadDataset({ kind: 'fashion-mnist', split: 'train' }, 0);
    const obtained = await obtainClassifier(dataset.identity, locations, { onTraining: () => expect.fail('the shipped classifier should be used') });

    expect(obtained.source).toBe('shipped');
    expect(obtained.info.testAccuracy).toBeGreaterThanOrEqual(0.9);
    // Measure again rather than trust the stored number: all 10,000 test images.
    expect(classifierAccuracy(obtained.model, test)).toBeCloseTo(obtained.info.testAccuracy, 3);
    obtained.model.dispose();
  });
});
