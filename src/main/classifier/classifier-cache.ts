// Finds the feature classifier for a dataset, or trains it once. It looks first among the
// classifiers shipped in resources/classifiers/, then in the user's classifier cache, keyed by
// the dataset's content hash. Otherwise it trains one on the dataset's labelled images and caches it.
//
// Where things live (both overridable through the environment, which worker threads share
// with the process that starts them):
//   GAN_WORKBENCH_CLASSIFIER_CACHE  the cache folder; default $XDG_CACHE_HOME/gan-workbench/classifiers,
//                                   else ~/.cache/gan-workbench/classifiers
//   GAN_WORKBENCH_RESOURCES         the folder holding classifiers/; default the nearest
//                                   `resources` folder above this module (the repository's, also
//                                   from the electron-vite bundle in out/main/)
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import type { DatasetIdentity } from '../../shared/run';
import { readIdxImageSet } from '../data/idx';
import { createSeededRandom } from '../data/random';
import { FEATURE_SIZE } from './classifier-model';
import { CLASSIFIER_FORMAT_VERSION, hasSavedClassifier, loadClassifier, readClassifierInfo, saveClassifier, type ClassifierInfo } from './classifier-weights';
import { DEFAULT_CLASSIFIER_TRAINING, trainClassifier, type LabelledImages } from './train-classifier';

/** Share of a dataset's images held out to measure the accuracy of a classifier trained here. */
export const HELD_OUT_SHARE = 0.1;

export interface ClassifierLocations {
  /** Folder whose subfolders hold shipped classifiers (resources/classifiers). */
  shippedDir: string | null;
  /** Folder of classifiers trained on this machine, one subfolder per content hash. */
  cacheDir: string;
}

export interface ObtainedClassifier {
  model: tf.LayersModel;
  info: ClassifierInfo;
  source: 'shipped' | 'cache' | 'trained';
  dir: string;
}

/** Returns the nearest folder named `resources/classifiers` above `start`, or null. */
function findShippedDir(start: string): string | null {
  let dir = start;
  for (let level = 0; level < 6; level++) {
    const candidate = join(dir, 'resources', 'classifiers');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

/** Returns the locations from the environment variables above, or their defaults. */
export function defaultClassifierLocations(env: NodeJS.ProcessEnv = process.env): ClassifierLocations {
  const shippedDir = env.GAN_WORKBENCH_RESOURCES ? join(env.GAN_WORKBENCH_RESOURCES, 'classifiers') : findShippedDir(dirname(fileURLToPath(import.meta.url)));
  const cacheDir = env.GAN_WORKBENCH_CLASSIFIER_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'gan-workbench', 'classifiers');
  return { shippedDir, cacheDir };
}

async function findShipped(shippedDir: string | null, contentHash: string): Promise<string | null> {
  if (shippedDir === null || !existsSync(shippedDir)) return null;
  for (const entry of await readdir(shippedDir, { withFileTypes: true })) {
    const dir = join(shippedDir, entry.name);
    if (!entry.isDirectory() || !hasSavedClassifier(dir)) continue;
    const info = await readClassifierInfo(dir);
    if (info.format === CLASSIFIER_FORMAT_VERSION && info.datasetHashes.includes(contentHash)) return dir;
  }
  return null;
}

/** Splits labelled images into a training part and a held-out part of HELD_OUT_SHARE, by a seeded permutation. */
function splitHeldOut(set: LabelledImages, seed: number): { train: LabelledImages; test: LabelledImages } {
  const order = Uint32Array.from({ length: set.count }, (_, i) => i);
  const random = createSeededRandom(seed, 'classifier-split');
  for (let i = order.length - 1; i > 0; i--) {
    const j = random.integer(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const testCount = Math.max(1, Math.round(HELD_OUT_SHARE * set.count));
  const pick = (indices: Uint32Array): LabelledImages => {
    const pixels = new Uint8Array(indices.length * 784);
    indices.forEach((index, i) => pixels.set(set.pixels.subarray(index * 784, (index + 1) * 784), i * 784));
    return { count: indices.length, pixels, labels: Uint8Array.from(indices, (index) => set.labels[index]) };
  };
  return { test: pick(order.subarray(0, testCount)), train: pick(order.subarray(testCount)) };
}

/**
 * Returns the classifier for the dataset `identity` describes, training and caching it when
 * none exists yet. `onTraining` is called before a training starts, which takes minutes.
 * @throws Error when the dataset has no labels, because the classifier learns from them.
 */
export async function obtainClassifier(
  identity: DatasetIdentity,
  locations: ClassifierLocations = defaultClassifierLocations(),
  options: { epochs?: number; onTraining?: (message: string) => void } = {},
): Promise<ObtainedClassifier> {
  const shipped = await findShipped(locations.shippedDir, identity.contentHash);
  if (shipped !== null) return { ...(await loadClassifier(shipped)), source: 'shipped', dir: shipped };

  const cached = join(locations.cacheDir, identity.contentHash);
  if (hasSavedClassifier(cached)) return { ...(await loadClassifier(cached)), source: 'cache', dir: cached };

  if (identity.path === null || identity.labelsPath === null) {
    throw new Error(`No feature classifier for dataset ${identity.name}: it has no label file to train one from. Pass a labels file with the images.`);
  }
  const { images, labels } = await readIdxImageSet(identity.path, identity.labelsPath);
  const set: LabelledImages = { count: images.count, pixels: images.pixels, labels: labels!.labels };
  const classes = set.labels.reduce((max, label) => Math.max(max, label), 0) + 1;
  const epochs = options.epochs ?? DEFAULT_CLASSIFIER_TRAINING.epochs;
  options.onTraining?.(`Training the feature classifier for ${identity.name} (${images.count} images, ${classes} classes, ${epochs} epochs); it is cached in ${cached} and trains only once.`);

  // NOTE: training runs synchronously in the training worker, so a stop or pause request waits
  // until it ends (minutes on wasm for 60,000 images).
  const { train, test } = splitHeldOut(set, 0);
  const result = trainClassifier(train, test, { ...DEFAULT_CLASSIFIER_TRAINING, classes, epochs });
  const info: ClassifierInfo = {
    format: CLASSIFIER_FORMAT_VERSION,
    datasetHashes: [identity.contentHash],
    trainedOn: identity.name,
    classes,
    featureSize: FEATURE_SIZE,
    testAccuracy: result.testAccuracy,
    testItems: test.count,
    epochs,
    trainingMs: result.trainingMs,
    backend: tf.getBackend(),
    createdAt: new Date().toISOString(),
  };
  await saveClassifier(cached, result.model, info);
  return { model: result.model, info, source: 'trained', dir: cached };
}
