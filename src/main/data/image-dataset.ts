// A set of 28×28 grayscale images as a LoadedDataset. Pixels stay as bytes in memory
// (60,000 images take 47 MB instead of 188 MB as float32) and become floats per batch.
import { createHash } from 'node:crypto';
import type { DatasetIdentity } from '../../shared/run';
import type { LoadedDataset } from './dataset';
import type { IdxImages, IdxLabels } from './idx';
import { createSeededRandom, type SeededRandom } from './random';
import { checkBatchSize } from './batch-size';

/** Pixel byte → generator range: 0 → -1, 255 → 1, i.e. v / 127.5 − 1. */
const PIXEL_TO_TANH_RANGE = Float32Array.from({ length: 256 }, (_, value) => value / 127.5 - 1);

/** Shuffles `order` in place with the Fisher–Yates algorithm. */
function shuffle(order: Uint32Array, random: SeededRandom): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = random.integer(i + 1);
    const swap = order[i];
    order[i] = order[j];
    order[j] = swap;
  }
}

/** Yields item indices in shuffled epochs: every item once per epoch, in a new order each epoch. */
class EpochSampler {
  private readonly order: Uint32Array;
  private position: number;

  constructor(
    count: number,
    private readonly random: SeededRandom,
  ) {
    this.order = Uint32Array.from({ length: count }, (_, index) => index);
    this.position = count;
  }

  next(): number {
    if (this.position === this.order.length) {
      shuffle(this.order, this.random);
      this.position = 0;
    }
    return this.order[this.position++];
  }
}

function copyImages(images: IdxImages, indices: ArrayLike<number>, count: number): Float32Array {
  const pixelsPerImage = images.rows * images.columns;
  const batch = new Float32Array(count * pixelsPerImage);
  for (let i = 0; i < count; i++) {
    const source = indices[i] * pixelsPerImage;
    const target = i * pixelsPerImage;
    for (let p = 0; p < pixelsPerImage; p++) {
      batch[target + p] = PIXEL_TO_TANH_RANGE[images.pixels[source + p]];
    }
  }
  return batch;
}

/** Returns the SHA-256 of the pixel bytes followed by the label bytes, as hex. */
export function hashImageContent(images: IdxImages, labels: IdxLabels | null): string {
  const hash = createHash('sha256').update(images.pixels);
  if (labels !== null) hash.update(labels.labels);
  return hash.digest('hex');
}

function countDistinct(values: Uint8Array): number {
  const seen = new Set<number>();
  for (const value of values) seen.add(value);
  return seen.size;
}

/**
 * Creates the dataset for images already read and validated. `sampleBatch` draws in shuffled
 * epochs, so every image appears once before any appears twice, and a batch may span two
 * epochs. `realBatch(n)` returns the first n images of a separate seeded permutation: the same
 * images on every call, whatever training has drawn.
 */
export function createImageDataset(name: string, images: IdxImages, labels: IdxLabels | null, seed: number): LoadedDataset {
  const shape = [images.rows, images.columns, 1];
  const identity: DatasetIdentity = {
    name,
    path: images.file,
    labelsPath: labels?.file ?? null,
    items: images.count,
    shape,
    contentHash: hashImageContent(images, labels),
    ...(labels !== null ? { classes: countDistinct(labels.labels) } : {}),
  };

  const sampler = new EpochSampler(images.count, createSeededRandom(seed, 'training'));

  return {
    identity,
    kind: 'images',
    shape,
    labels: labels?.labels ?? null,
    sampleBatch(batchSize: number): Float32Array {
      checkBatchSize('batchSize', batchSize);
      const indices = new Uint32Array(batchSize);
      for (let i = 0; i < batchSize; i++) indices[i] = sampler.next();
      return copyImages(images, indices, batchSize);
    },
    realBatch(n: number): Float32Array {
      checkBatchSize('n', n);
      if (n > images.count) {
        throw new RangeError(`Invalid n: expected at most ${images.count}, the number of images in ${name}, found ${n}. Request fewer images.`);
      }
      const order = Uint32Array.from({ length: images.count }, (_, index) => index);
      shuffle(order, createSeededRandom(seed, 'evaluation'));
      return copyImages(images, order, n);
    },
  };
}
