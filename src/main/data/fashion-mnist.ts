// Fashion-MNIST: 70,000 28×28 grayscale clothing images in 10 classes (60,000 train, 10,000
// test), read from the IDX files of Debian's dataset-fashion-mnist package or from a folder.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import type { fashionMnistSchema } from '../../shared/config';
import { DatasetError } from './dataset-error';
import { readIdxImageSet, type IdxImages, type IdxLabels } from './idx';

export type FashionMnistConfig = z.output<typeof fashionMnistSchema>;
export type FashionMnistSplit = FashionMnistConfig['split'];

/** Install folder of Debian's `dataset-fashion-mnist` package. */
export const FASHION_MNIST_DEFAULT_DIR = '/usr/share/datasets/fashion-mnist';

/** Class names by label value, in the order of the dataset's documentation. */
export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] as const;

/** File names without the `.gz` suffix, because each may be present compressed or plain. */
const FILE_STEMS: Record<FashionMnistSplit, { images: string; labels: string }> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

const ALL_FILE_NAMES = [FILE_STEMS.train.images, FILE_STEMS.train.labels, FILE_STEMS.test.images, FILE_STEMS.test.labels].map((stem) => `${stem}.gz`);

/** Returns the instructions for getting the files into `dir`. */
export function fashionMnistInstallHint(dir: string = FASHION_MNIST_DEFAULT_DIR): string {
  const apt = 'Install it with `sudo apt-get install dataset-fashion-mnist` (Debian/Ubuntu), which puts the files in ' + `${FASHION_MNIST_DEFAULT_DIR}`;
  const download = `or download the four files (${ALL_FILE_NAMES.join(', ')}) into one folder and set the dataset's \`dir\` to that folder`;
  const current = dir === FASHION_MNIST_DEFAULT_DIR ? '' : ` (now ${dir})`;
  return `${apt}, ${download}${current}.`;
}

/** Returns the path of `stem.gz`, else of `stem`, in `dir`, or null when neither exists. */
function findFile(dir: string, stem: string): string | null {
  for (const name of [`${stem}.gz`, stem]) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  return null;
}

/** Finds a split's image and label files, or returns the names that are missing. */
export function locateFashionMnist(
  dir: string,
  split: FashionMnistSplit,
): { imagesPath: string; labelsPath: string; missing: [] } | { imagesPath: null; labelsPath: null; missing: string[] } {
  const stems = FILE_STEMS[split];
  const imagesPath = findFile(dir, stems.images);
  const labelsPath = findFile(dir, stems.labels);
  if (imagesPath !== null && labelsPath !== null) return { imagesPath, labelsPath, missing: [] };

  const missing = [imagesPath === null ? `${stems.images}.gz` : null, labelsPath === null ? `${stems.labels}.gz` : null].filter((name): name is string => name !== null);
  return { imagesPath: null, labelsPath: null, missing };
}

/** Returns true when the files of both splits are present in `dir`. */
export function isFashionMnistInstalled(dir: string = FASHION_MNIST_DEFAULT_DIR): boolean {
  return locateFashionMnist(dir, 'train').missing.length === 0 && locateFashionMnist(dir, 'test').missing.length === 0;
}

/**
 * Reads one split of Fashion-MNIST from `config.dir`, or from Debian's install folder when `dir` is unset.
 * @throws DatasetError naming the missing files and how to install them, or from the IDX reader
 *   when a file is damaged.
 */
export async function loadFashionMnist(config: FashionMnistConfig): Promise<{ images: IdxImages; labels: IdxLabels }> {
  const dir = config.dir ?? FASHION_MNIST_DEFAULT_DIR;
  const located = locateFashionMnist(dir, config.split);
  if (located.imagesPath === null) {
    const missing = located.missing.join(' and ');
    throw new DatasetError(
      dir,
      `the Fashion-MNIST ${config.split} files`,
      `no ${missing}`,
      `Fashion-MNIST not found: ${dir} has no ${missing}. ${fashionMnistInstallHint(dir)}`,
    );
  }

  const { images, labels } = await readIdxImageSet(located.imagesPath, located.labelsPath);
  return { images, labels: labels! };
}
