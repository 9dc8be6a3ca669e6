// The one entry point the training worker uses to get data, whatever the dataset kind.
import { basename, resolve } from 'node:path';
import { z } from 'zod';
import { datasetSchema, type DatasetConfig } from '../../shared/config';
import type { DatasetOption } from '../../shared/api';
import type { DatasetIdentity } from '../../shared/run';
import { createLogger } from '../logger';
import { FASHION_MNIST_DEFAULT_DIR, fashionMnistInstallHint, isFashionMnistInstalled, loadFashionMnist } from './fashion-mnist';
import { readIdxImageSet } from './idx';
import { createImageDataset } from './image-dataset';
import { createMixtureDataset } from './mixture-dataset';

const log = createLogger('datasets');

/** A dataset ready for training: its identity and seeded batch functions. */
export interface LoadedDataset {
  identity: DatasetIdentity;
  kind: 'points' | 'images';
  /** Shape of one item: [2] for points, [28, 28, 1] for images. */
  shape: number[];
  /** One label per image in file order, or null for mixtures and unlabelled images. */
  labels: Uint8Array | null;
  /**
   * Returns the next training batch, flattened to batchSize × prod(shape) values: points as
   * sampled, pixels scaled from [0, 255] to [-1, 1]. The sequence of batches depends only on
   * the seed given to `loadDataset`.
   */
  sampleBatch(batchSize: number): Float32Array;
  /**
   * Returns n real items for plots and metrics, in the same layout as `sampleBatch`. The result
   * depends only on the seed and n, not on how many training batches were drawn before.
   * @throws RangeError for images when n exceeds the number of images.
   */
  realBatch(n: number): Float32Array;
}

/**
 * Loads the dataset a config names. Mixtures need no I/O. Image files are read and validated
 * in full before anything is returned.
 * @throws Error when the config is invalid, DatasetError when a file is missing or damaged.
 */
export async function loadDataset(config: DatasetConfig, seed: number): Promise<LoadedDataset> {
  const parsed = datasetSchema.safeParse(config);
  if (!parsed.success) {
    throw new Error(`Invalid dataset config ${JSON.stringify(config)}:\n${z.prettifyError(parsed.error)}`);
  }
  if (!Number.isInteger(seed)) {
    throw new RangeError(`Invalid seed: expected an integer, found ${seed}.`);
  }

  const dataset = parsed.data;
  const started = Date.now();
  let loaded: LoadedDataset;

  switch (dataset.kind) {
    case 'ring8':
    case 'grid25':
      return createMixtureDataset(dataset, seed);

    case 'fashion-mnist': {
      const { images, labels } = await loadFashionMnist(dataset);
      loaded = createImageDataset(`fashion-mnist/${dataset.split}`, images, labels, seed);
      break;
    }

    case 'idx': {
      const imagesPath = resolve(dataset.imagesPath);
      const labelsPath = dataset.labelsPath === undefined ? undefined : resolve(dataset.labelsPath);
      const { images, labels } = await readIdxImageSet(imagesPath, labelsPath);
      loaded = createImageDataset(basename(imagesPath), images, labels, seed);
      break;
    }
  }

  const { name, items, path, contentHash } = loaded.identity;
  // `dataset`, not `name`: pino's root logger already writes a `name` field.
  log.info({ dataset: name, items, path, contentHash, ms: Date.now() - started }, 'dataset loaded');
  return loaded;
}

/** Lists the dataset kinds and whether each can be used now, looking for Fashion-MNIST in `fashionMnistDir`. */
export function listDatasetOptions(fashionMnistDir: string = FASHION_MNIST_DEFAULT_DIR): DatasetOption[] {
  const fashionMnistAvailable = isFashionMnistInstalled(fashionMnistDir);
  return [
    { kind: 'ring8', label: 'Ring of Gaussians (2-D, 8 modes)', available: true, hint: null },
    { kind: 'grid25', label: 'Grid of Gaussians (2-D, 5 × 5 modes)', available: true, hint: null },
    {
      kind: 'fashion-mnist',
      label: 'Fashion-MNIST (28 × 28 images, 10 classes)',
      available: fashionMnistAvailable,
      hint: fashionMnistAvailable ? null : `Fashion-MNIST not found in ${fashionMnistDir}. ${fashionMnistInstallHint(fashionMnistDir)}`,
    },
    { kind: 'idx', label: 'IDX image file (MNIST format, 28 × 28)', available: true, hint: null },
  ];
}
