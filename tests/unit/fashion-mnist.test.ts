// Reads the real Fashion-MNIST files of Debian's dataset-fashion-mnist package. The expected
// statistics were computed independently with Python's gzip module over the same files.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../../src/main/data/dataset-error';
import {
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_DEFAULT_DIR,
  fashionMnistInstallHint,
  isFashionMnistInstalled,
  loadFashionMnist,
  locateFashionMnist,
} from '../../src/main/data/fashion-mnist';

function histogram(labels: Uint8Array): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const label of labels) counts[label]++;
  return counts;
}

function sum(values: Uint8Array): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

let emptyDir: string;

beforeAll(() => {
  emptyDir = mkdtempSync(join(tmpdir(), 'fashion-mnist-empty-'));
});

afterAll(() => {
  rmSync(emptyDir, { recursive: true, force: true });
});

describe('loadFashionMnist', () => {
  it('reads the training split', async () => {
    const { images, labels } = await loadFashionMnist({ kind: 'fashion-mnist', split: 'train' });

    expect(images.file).toBe(join(FASHION_MNIST_DEFAULT_DIR, 'train-images-idx3-ubyte.gz'));
    expect(images.count).toBe(60_000);
    expect(images.rows).toBe(28);
    expect(images.columns).toBe(28);
    expect(labels.count).toBe(60_000);
    expect(labels.labels[0]).toBe(9);
    expect(FASHION_MNIST_CLASSES[labels.labels[0]]).toBe('Ankle boot');
    expect(histogram(labels.labels)).toEqual(new Array(10).fill(6000));
    // Mean pixel 72.94, i.e. the commonly quoted normalised mean of 0.2860.
    expect(sum(images.pixels)).toBe(3_431_114_169);
    expect(sum(images.pixels.subarray(0, 784))).toBe(76_247);
  });

  it('reads the test split', async () => {
    const { images, labels } = await loadFashionMnist({ kind: 'fashion-mnist', split: 'test' });

    expect(images.count).toBe(10_000);
    expect(Array.from(labels.labels.subarray(0, 10))).toEqual([9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
    expect(histogram(labels.labels)).toEqual(new Array(10).fill(1000));
    expect(sum(images.pixels)).toBe(573_469_082);
  });

  it('reads uncompressed files from dir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fashion-mnist-plain-'));
    try {
      for (const stem of ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
        writeFileSync(join(dir, stem), gunzipSync(readFileSync(join(FASHION_MNIST_DEFAULT_DIR, `${stem}.gz`))));
      }

      const { images, labels } = await loadFashionMnist({ kind: 'fashion-mnist', split: 'test', dir });

      expect(images.file).toBe(join(dir, 't10k-images-idx3-ubyte'));
      expect(images.count).toBe(10_000);
      expect(sum(images.pixels)).toBe(573_469_082);
      expect(labels.labels[1]).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explains how to install when missing', async () => {
    let caught: unknown;
    try {
      await loadFashionMnist({ kind: 'fashion-mnist', split: 'train', dir: emptyDir });
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(DatasetError);
    const error = caught as DatasetError;
    expect(error.file).toBe(emptyDir);
    expect(error.found).toBe('no train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz');
    expect(error.message).toContain(`Fashion-MNIST not found: ${emptyDir} has no train-images-idx3-ubyte.gz`);
    expect(error.message).toContain('sudo apt-get install dataset-fashion-mnist');
    expect(error.message).toContain('t10k-labels-idx1-ubyte.gz');
    expect(error.message).toContain(`(now ${emptyDir})`);
  });
});

describe('locateFashionMnist', () => {
  it('finds the installed files', () => {
    const located = locateFashionMnist(FASHION_MNIST_DEFAULT_DIR, 'test');

    expect(located.imagesPath).toBe(join(FASHION_MNIST_DEFAULT_DIR, 't10k-images-idx3-ubyte.gz'));
    expect(located.labelsPath).toBe(join(FASHION_MNIST_DEFAULT_DIR, 't10k-labels-idx1-ubyte.gz'));
    expect(located.missing).toEqual([]);
  });

  it('names only the missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fashion-mnist-half-'));
    try {
      writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), '');

      expect(locateFashionMnist(dir, 'test').missing).toEqual(['t10k-images-idx3-ubyte.gz']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('isFashionMnistInstalled', () => {
  it('is true for the Debian package', () => {
    expect(isFashionMnistInstalled()).toBe(true);
  });

  it('is false for an empty folder', () => {
    expect(isFashionMnistInstalled(emptyDir)).toBe(false);
  });
});

describe('fashionMnistInstallHint', () => {
  it('omits the folder for the default', () => {
    const hint = fashionMnistInstallHint();

    expect(hint).toContain('sudo apt-get install dataset-fashion-mnist');
    expect(hint).not.toContain('(now ');
  });
});
