import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDatasetOptions, loadDataset, type LoadedDataset } from '../../src/main/data/dataset';
import { DatasetError } from '../../src/main/data/dataset-error';

const ring8 = { kind: 'ring8', modes: 8, radius: 2, std: 0.02 } as const;

/** Builds an IDX file: zero, zero, unsigned-byte type, dimension count, big-endian sizes, data. */
function idxBytes(dimensions: number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dimensions.length);
  header[2] = 0x08;
  header[3] = dimensions.length;
  dimensions.forEach((size, i) => header.writeUInt32BE(size, 4 + 4 * i));
  return Buffer.concat([header, data]);
}

/** Five 28×28 images; every pixel of image i is 51·i, so the batch value −1 + 0.4·i identifies it. */
const FIVE_IMAGE_PIXELS = new Uint8Array(5 * 784);
for (let i = 0; i < 5; i++) FIVE_IMAGE_PIXELS.fill(51 * i, i * 784, (i + 1) * 784);
const FIVE_LABELS = Uint8Array.from([3, 1, 3, 0, 1]);

function imageIds(batch: Float32Array): number[] {
  const ids: number[] = [];
  for (let offset = 0; offset < batch.length; offset += 784) ids.push(Math.round((batch[offset] + 1) / 0.4));
  return ids;
}

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dataset-test-'));
  writeFileSync(join(dir, 'five-images.idx'), idxBytes([5, 28, 28], FIVE_IMAGE_PIXELS));
  writeFileSync(join(dir, 'five-labels.idx'), idxBytes([5], FIVE_LABELS));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function loadFiveImages(seed: number): Promise<LoadedDataset> {
  return loadDataset({ kind: 'idx', imagesPath: join(dir, 'five-images.idx'), labelsPath: join(dir, 'five-labels.idx') }, seed);
}

describe('loadDataset for mixtures', () => {
  it('describes ring8', async () => {
    const dataset = await loadDataset(ring8, 1);

    expect(dataset.kind).toBe('points');
    expect(dataset.shape).toEqual([2]);
    expect(dataset.labels).toBeNull();
    expect(dataset.identity.name).toBe('ring8');
    expect(dataset.identity.path).toBeNull();
    expect(dataset.identity.items).toBe(0);
    expect(dataset.identity.centres).toHaveLength(8);
    expect(dataset.identity.std).toBe(0.02);
    expect(dataset.identity.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hashes parameters, not the seed', async () => {
    const first = await loadDataset(ring8, 1);
    const otherSeed = await loadDataset(ring8, 2);
    const otherRadius = await loadDataset({ ...ring8, radius: 3 }, 1);

    expect(otherSeed.identity.contentHash).toBe(first.identity.contentHash);
    expect(otherRadius.identity.contentHash).not.toBe(first.identity.contentHash);
  });

  it('repeats batches for one seed', async () => {
    const a = await loadDataset(ring8, 7);
    const b = await loadDataset(ring8, 7);
    const c = await loadDataset(ring8, 8);

    const aBatches = [a.sampleBatch(16), a.sampleBatch(16)];
    const bBatches = [b.sampleBatch(16), b.sampleBatch(16)];

    expect(aBatches[0]).toHaveLength(32);
    expect(Array.from(bBatches[0])).toEqual(Array.from(aBatches[0]));
    expect(Array.from(bBatches[1])).toEqual(Array.from(aBatches[1]));
    expect(Array.from(aBatches[1])).not.toEqual(Array.from(aBatches[0]));
    expect(Array.from(c.sampleBatch(16))).not.toEqual(Array.from(aBatches[0]));
  });

  it('keeps realBatch independent of training', async () => {
    const dataset = await loadDataset({ kind: 'grid25', side: 5, spacing: 2, std: 0.05 }, 3);
    const before = dataset.realBatch(100);
    dataset.sampleBatch(64);
    const after = dataset.realBatch(100);

    expect(Array.from(after)).toEqual(Array.from(before));
    expect(dataset.identity.centres).toHaveLength(25);
  });

  it('fills config defaults', async () => {
    const dataset = await loadDataset({ kind: 'grid25' } as never, 0);

    expect(dataset.identity.std).toBe(0.05);
    expect(dataset.identity.centres?.[0]).toEqual([-4, -4]);
  });

  it('rejects an invalid config', async () => {
    await expect(loadDataset({ ...ring8, std: -1 }, 0)).rejects.toThrow(/Invalid dataset config.*\n.*std/s);
  });

  it('rejects a bad batch size', async () => {
    const dataset = await loadDataset(ring8, 0);

    expect(() => dataset.sampleBatch(0)).toThrow('Invalid batchSize: expected a positive integer, found 0');
    expect(() => dataset.realBatch(2.5)).toThrow('Invalid n: expected a positive integer, found 2.5');
  });
});

describe('loadDataset for IDX files', () => {
  it('describes the files', async () => {
    const dataset = await loadFiveImages(0);
    const expectedHash = createHash('sha256').update(FIVE_IMAGE_PIXELS).update(FIVE_LABELS).digest('hex');

    expect(dataset.kind).toBe('images');
    expect(dataset.shape).toEqual([28, 28, 1]);
    expect(dataset.identity).toEqual({
      name: 'five-images.idx',
      path: join(dir, 'five-images.idx'),
      labelsPath: join(dir, 'five-labels.idx'),
      items: 5,
      shape: [28, 28, 1],
      contentHash: expectedHash,
      classes: 3,
    });
    expect(Array.from(dataset.labels!)).toEqual([3, 1, 3, 0, 1]);
  });

  it('scales pixels to [-1, 1]', async () => {
    const dataset = await loadFiveImages(0);
    const batch = dataset.realBatch(5);
    const firstValues = [0, 1, 2, 3, 4].map((i) => batch[i * 784]).sort((a, b) => a - b);

    // Pixel bytes 0, 51, 102, 153, 204 map to v / 127.5 − 1.
    expect(firstValues[0]).toBe(-1);
    expect(firstValues[1]).toBeCloseTo(-0.6, 6);
    expect(firstValues[2]).toBeCloseTo(-0.2, 6);
    expect(firstValues[3]).toBeCloseTo(0.2, 6);
    expect(firstValues[4]).toBeCloseTo(0.6, 6);
  });

  it('samples in shuffled epochs', async () => {
    const dataset = await loadFiveImages(11);
    const epochs = [imageIds(dataset.sampleBatch(5)), imageIds(dataset.sampleBatch(5)), imageIds(dataset.sampleBatch(5))];

    for (const epoch of epochs) expect([...epoch].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(epochs[1]).not.toEqual(epochs[0]);
  });

  it('repeats batches for one seed', async () => {
    const a = await loadFiveImages(4);
    const b = await loadFiveImages(4);

    expect(imageIds(b.sampleBatch(12))).toEqual(imageIds(a.sampleBatch(12)));
  });

  it('keeps realBatch fixed', async () => {
    const dataset = await loadFiveImages(4);
    const before = imageIds(dataset.realBatch(3));
    dataset.sampleBatch(7);

    expect(imageIds(dataset.realBatch(3))).toEqual(before);
    expect(new Set(before).size).toBe(3);
  });

  it('rejects realBatch beyond the item count', async () => {
    const dataset = await loadFiveImages(0);

    expect(() => dataset.realBatch(6)).toThrow('Invalid n: expected at most 5, the number of images in five-images.idx, found 6');
  });

  it('resolves a relative path', async () => {
    const relativePath = relative(process.cwd(), join(dir, 'five-images.idx'));
    const dataset = await loadDataset({ kind: 'idx', imagesPath: relativePath }, 0);

    expect(isAbsolute(dataset.identity.path!)).toBe(true);
    expect(dataset.identity.path).toBe(join(dir, 'five-images.idx'));
    expect(dataset.identity.labelsPath).toBeNull();
    expect(dataset.identity.classes).toBeUndefined();
    expect(dataset.labels).toBeNull();
  });

  it('passes file errors through', async () => {
    await expect(loadDataset({ kind: 'idx', imagesPath: join(dir, 'missing.idx') }, 0)).rejects.toBeInstanceOf(DatasetError);
  });
});

describe('loadDataset for Fashion-MNIST', () => {
  it('identifies the training split', async () => {
    const dataset = await loadDataset({ kind: 'fashion-mnist', split: 'train' }, 0);

    expect(dataset.identity.name).toBe('fashion-mnist/train');
    expect(dataset.identity.items).toBe(60_000);
    expect(dataset.identity.classes).toBe(10);
    expect(dataset.identity.path).toBe('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz');
    // SHA-256 of the decoded pixels followed by the labels, computed with Python's hashlib.
    expect(dataset.identity.contentHash).toBe('16d82e2b505296aa2b78bd5ea0992634f30419a4c97def7c907d154a35ac6157');

    const batch = dataset.sampleBatch(64);
    expect(batch).toHaveLength(64 * 784);
    expect(Math.min(...batch)).toBe(-1);
    expect(Math.max(...batch)).toBeLessThanOrEqual(1);
  });
});

describe('listDatasetOptions', () => {
  it('offers the installed Fashion-MNIST', () => {
    const options = listDatasetOptions();

    expect(options.map((option) => option.kind)).toEqual(['ring8', 'grid25', 'fashion-mnist', 'idx']);
    expect(options.find((option) => option.kind === 'fashion-mnist')).toMatchObject({ available: true, hint: null });
  });

  it('hints how to install a missing Fashion-MNIST', () => {
    const fashion = listDatasetOptions(dir).find((option) => option.kind === 'fashion-mnist');

    expect(fashion?.available).toBe(false);
    expect(fashion?.hint).toContain('sudo apt-get install dataset-fashion-mnist');
    expect(fashion?.hint).toContain(dir);
  });
});
