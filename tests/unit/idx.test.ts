import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../../src/main/data/dataset-error';
import { readIdxFile, readIdxImageSet, readIdxImages, readIdxLabels } from '../../src/main/data/idx';

const FASHION_DIR = '/usr/share/datasets/fashion-mnist';

/** Builds an IDX file: zero, zero, data type, dimension count, big-endian sizes, data. */
function idxBytes(dataType: number, dimensions: number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dimensions.length);
  header[2] = dataType;
  header[3] = dimensions.length;
  dimensions.forEach((size, i) => header.writeUInt32BE(size, 4 + 4 * i));
  return Buffer.concat([header, data]);
}

/** Three 28×28 images whose pixels are all 10, 20 and 30, so each image is recognisable. */
function threeImages(): Buffer {
  const pixels = new Uint8Array(3 * 784);
  for (let i = 0; i < 3; i++) pixels.fill(10 * (i + 1), i * 784, (i + 1) * 784);
  return idxBytes(0x08, [3, 28, 28], pixels);
}

let dir: string;
const path = (name: string): string => join(dir, name);

async function captureError(promise: Promise<unknown>): Promise<DatasetError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError);
    return error as DatasetError;
  }
  throw new Error('expected the promise to reject with a DatasetError, but it resolved');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'idx-test-'));
  writeFileSync(path('images.idx'), threeImages());
  writeFileSync(path('images.idx.gz'), gzipSync(threeImages()));
  writeFileSync(path('labels.idx'), idxBytes(0x08, [3], Uint8Array.from([7, 0, 7])));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('readIdxImages', () => {
  it('reads a plain image file', async () => {
    const images = await readIdxImages(path('images.idx'));

    expect(images.count).toBe(3);
    expect(images.rows).toBe(28);
    expect(images.columns).toBe(28);
    expect(images.pixels).toHaveLength(3 * 784);
    expect(images.pixels[0]).toBe(10);
    expect(images.pixels[784]).toBe(20);
    expect(images.pixels[3 * 784 - 1]).toBe(30);
  });

  it('reads a gzip file like the plain one', async () => {
    const plain = await readIdxImages(path('images.idx'));
    const compressed = await readIdxImages(path('images.idx.gz'));

    expect(compressed.count).toBe(3);
    expect(Buffer.from(compressed.pixels).equals(Buffer.from(plain.pixels))).toBe(true);
  });

  it('detects gzip by content, not name', async () => {
    writeFileSync(path('gzip-without-suffix'), gzipSync(threeImages()));
    writeFileSync(path('plain-named.gz'), threeImages());

    expect((await readIdxImages(path('gzip-without-suffix'))).pixels[784]).toBe(20);
    expect((await readIdxImages(path('plain-named.gz'))).pixels[784]).toBe(20);
  });

  it('rejects a truncated file with sizes', async () => {
    const file = path('truncated.idx');
    writeFileSync(file, threeImages().subarray(0, 1000));

    const error = await captureError(readIdxImages(file));

    expect(error.file).toBe(file);
    expect(error.expected).toBe('2,368 bytes for 3×28×28 images');
    expect(error.found).toBe('1,000 bytes');
    expect(error.message).toMatch(new RegExp(`^Invalid IDX file ${file}: expected 2,368 bytes for 3×28×28 images, found 1,000 bytes\\. `));
  });

  it('rejects a truncated real Fashion-MNIST file', async () => {
    const file = path('t10k-images-cut.gz');
    const decoded = gunzipSync(readFileSync(join(FASHION_DIR, 't10k-images-idx3-ubyte.gz')));
    writeFileSync(file, gzipSync(decoded.subarray(0, 1000)));

    const error = await captureError(readIdxImages(file));

    expect(error.message).toContain(`Invalid IDX file ${file}: expected 7,840,016 bytes for 10000×28×28 images, found 1,000 bytes`);
  });

  it('rejects a header claiming more data', async () => {
    const file = path('claims-a-million.idx');
    writeFileSync(file, idxBytes(0x08, [1_000_000, 28, 28], new Uint8Array(784)));

    const error = await captureError(readIdxImages(file));

    expect(error.expected).toBe('784,000,016 bytes for 1000000×28×28 images');
    expect(error.found).toBe('800 bytes');
  });

  it('rejects a size beyond one buffer', async () => {
    const file = path('too-large.idx');
    writeFileSync(file, idxBytes(0x08, [0xffffffff, 28, 28], new Uint8Array(0)));

    const error = await captureError(readIdxImages(file));

    expect(error.found).toBe('a header declaring 3,367,254,359,280 bytes for 4294967295×28×28 images');
  });

  it('rejects trailing bytes', async () => {
    const file = path('trailing.idx');
    writeFileSync(file, Buffer.concat([threeImages(), Buffer.from([1, 2, 3])]));

    const error = await captureError(readIdxImages(file));

    expect(error.expected).toBe('2,368 bytes for 3×28×28 images');
    expect(error.found).toBe('more than 2,368 bytes');
  });

  it('rejects a cut gzip stream', async () => {
    const file = path('cut.gz');
    const compressed = gzipSync(threeImages());
    writeFileSync(file, compressed.subarray(0, compressed.length - 12));

    const error = await captureError(readIdxImages(file));

    expect(error.expected).toBe('valid gzip data');
    expect(error.found).toMatch(/^corrupt gzip data \(zlib: /);
  });

  it('rejects corrupt gzip data', async () => {
    const file = path('corrupt.gz');
    const compressed = gzipSync(threeImages());
    compressed.fill(0xff, 10, 40);
    writeFileSync(file, compressed);

    const error = await captureError(readIdxImages(file));

    expect(error.found).toMatch(/^corrupt gzip data/);
    expect(error.message).toContain(file);
  });

  it('rejects a foreign file', async () => {
    const file = path('picture.png');
    writeFileSync(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]));

    const error = await captureError(readIdxImages(file));

    expect(error.expected).toBe('magic number 0x00000803 (unsigned bytes, 3-D images)');
    expect(error.found).toBe('0x89504E47, which is not an IDX header');
  });

  it('rejects a label file as images', async () => {
    const error = await captureError(readIdxImages(path('labels.idx')));

    expect(error.found).toBe('0x00000801: 1 dimension (a label file?)');
    expect(error.message).toContain('not swapped');
  });

  it('rejects a float data type', async () => {
    const file = path('floats.idx');
    writeFileSync(file, idxBytes(0x0d, [1, 28, 28], new Uint8Array(784 * 4)));

    const error = await captureError(readIdxImages(file));

    expect(error.found).toBe('0x00000D03: data type 0x0D (32-bit float)');
  });

  it('rejects 32×32 images naming the shape', async () => {
    const file = path('cifar-sized.idx');
    writeFileSync(file, idxBytes(0x08, [2, 32, 32], new Uint8Array(2 * 32 * 32)));

    const error = await captureError(readIdxImages(file));

    expect(error.expected).toBe('28×28 images');
    expect(error.found).toBe('32×32 images');
    expect(error.message).toContain('found 2 images of 32×32 pixels');
  });

  it('rejects a file with no images', async () => {
    const file = path('empty-set.idx');
    writeFileSync(file, idxBytes(0x08, [0, 28, 28], new Uint8Array(0)));

    const error = await captureError(readIdxImages(file));

    expect(error.found).toBe('the shape 0×28×28');
  });

  it('rejects an empty file', async () => {
    const file = path('zero-bytes.idx');
    writeFileSync(file, Buffer.alloc(0));

    const error = await captureError(readIdxImages(file));

    expect(error.found).toBe('0 bytes');
    expect(error.expected).toContain('0x00000803');
  });

  it('rejects a cut header', async () => {
    const file = path('short-header.idx');
    writeFileSync(file, threeImages().subarray(0, 9));

    const error = await captureError(readIdxImages(file));

    expect(error.expected).toBe('a 16-byte IDX header starting with the magic number 0x00000803');
    expect(error.found).toBe('9 bytes');
  });

  it('rejects a missing file', async () => {
    const file = path('does-not-exist.gz');

    const error = await captureError(readIdxImages(file));

    expect(error.found).toBe('no such file');
    expect(error.message).toBe(`IDX file not found: ${file}. Check the path.`);
  });

  it('rejects a directory', async () => {
    const folder = path('a-folder');
    mkdirSync(folder);

    const error = await captureError(readIdxImages(folder));

    expect(error.found).toBe('a directory');
  });
});

describe('readIdxLabels', () => {
  it('reads a label file', async () => {
    const labels = await readIdxLabels(path('labels.idx'));

    expect(labels.count).toBe(3);
    expect(Array.from(labels.labels)).toEqual([7, 0, 7]);
  });

  it('rejects an image file as labels', async () => {
    const error = await captureError(readIdxLabels(path('images.idx')));

    expect(error.found).toBe('0x00000803: 3 dimensions (an image file?)');
  });
});

describe('readIdxFile', () => {
  it('lets a dimension check reject early', async () => {
    const rejectAll = (dimensions: number[]): void => {
      throw new DatasetError('x', 'nothing', dimensions.join('×'), 'rejected by the test');
    };

    const error = await captureError(readIdxFile(path('images.idx.gz'), 'images', rejectAll));

    expect(error.found).toBe('3×28×28');
  });
});

describe('readIdxImageSet', () => {
  it('pairs images with labels', async () => {
    const { images, labels } = await readIdxImageSet(path('images.idx.gz'), path('labels.idx'));

    expect(images.count).toBe(3);
    expect(labels?.count).toBe(3);
  });

  it('allows images without labels', async () => {
    const { labels } = await readIdxImageSet(path('images.idx'));

    expect(labels).toBeNull();
  });

  it('rejects a label count mismatch', async () => {
    const file = path('two-labels.idx');
    writeFileSync(file, idxBytes(0x08, [2], Uint8Array.from([1, 2])));

    const error = await captureError(readIdxImageSet(path('images.idx'), file));

    expect(error.file).toBe(file);
    expect(error.expected).toBe(`3 labels, one per image in ${path('images.idx')}`);
    expect(error.found).toBe('2 labels');
  });
});
