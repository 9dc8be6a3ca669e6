// Reader for IDX files, the MNIST file format, gzip-compressed or plain.
//
// Layout, as published with the MNIST database and as found in the Fashion-MNIST files:
// bytes 0–1 are zero, byte 2 is the data type (0x08 = unsigned byte), byte 3 the number of
// dimensions n, then n big-endian uint32 sizes, then the data in row-major order. Image
// files have the magic number 0x00000803 (uint8, 3 dimensions: count × rows × columns) and
// label files 0x00000801 (uint8, 1 dimension: count).
import { open, type FileHandle } from 'node:fs/promises';
import { constants as bufferConstants } from 'node:buffer';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DatasetError, formatCount } from './dataset-error';

/** Rows and columns every image must have: the DCGAN's layers are built for 28 × 28. */
export const IMAGE_SIZE = 28;

export type IdxKind = 'images' | 'labels';

/** A decoded IDX file of unsigned bytes. */
export interface IdxArray {
  file: string;
  /** Sizes from the header, e.g. [60000, 28, 28]. */
  dimensions: number[];
  /** The data bytes after the header, exactly the product of `dimensions` long. */
  data: Uint8Array;
}

export interface IdxImages {
  file: string;
  count: number;
  rows: number;
  columns: number;
  /** count × rows × columns bytes, 0 = background, 255 = full intensity. */
  pixels: Uint8Array;
}

export interface IdxLabels {
  file: string;
  count: number;
  labels: Uint8Array;
}

const GZIP_MAGIC = [0x1f, 0x8b];
const UNSIGNED_BYTE = 0x08;
const DIMENSION_COUNT: Record<IdxKind, number> = { images: 3, labels: 1 };

const DATA_TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: '16-bit integer',
  0x0c: '32-bit integer',
  0x0d: '32-bit float',
  0x0e: '64-bit float',
};

function hex(value: number, digits: number): string {
  return `0x${value.toString(16).toUpperCase().padStart(digits, '0')}`;
}

function expectedMagic(kind: IdxKind): number {
  return (UNSIGNED_BYTE << 8) | DIMENSION_COUNT[kind];
}

function describeContents(kind: IdxKind, dimensions: number[]): string {
  return kind === 'images' ? `${dimensions.join('×')} images` : `${dimensions[0]} labels`;
}

function formatBytes(count: number): string {
  return count === 1 ? '1 byte' : `${formatCount(count)} bytes`;
}

function invalid(file: string, expected: string, found: string, fix: string): DatasetError {
  return new DatasetError(file, expected, found, `Invalid IDX file ${file}: expected ${expected}, found ${found}. ${fix}`);
}

const REDOWNLOAD = 'The file is incomplete or damaged, so download or copy it again.';

/**
 * Collects decoded bytes as they stream in, validates the header as soon as it is complete
 * and rejects the file at the first byte past the size the header declares. Data chunks are
 * kept as they arrive and joined at the end, so a damaged header that declares gigabytes
 * costs no more memory than the bytes actually present.
 */
class IdxCollector {
  private header: Uint8Array = new Uint8Array(0);
  private dimensions: number[] | null = null;
  private dataLength = 0;
  private readonly chunks: Uint8Array[] = [];
  private headerLength = 0;
  private received = 0;

  constructor(
    private readonly file: string,
    private readonly kind: IdxKind,
    private readonly checkDimensions: (dimensions: number[]) => void,
  ) {}

  push(chunk: Uint8Array): void {
    let offset = 0;
    if (this.dimensions === null) {
      offset = this.takeHeaderBytes(chunk);
      if (this.dimensions === null) return;
    }

    const rest = chunk.subarray(offset);
    const dataReceived = this.received - this.headerLength;
    if (dataReceived + rest.length > this.dataLength) {
      const expectedTotal = this.headerLength + this.dataLength;
      throw invalid(
        this.file,
        `${formatCount(expectedTotal)} bytes for ${describeContents(this.kind, this.dimensions!)}`,
        `more than ${formatCount(expectedTotal)} bytes`,
        'The header does not match the data, so the file may be damaged or belong to another dataset.',
      );
    }
    if (rest.length > 0) this.chunks.push(rest);
    this.received += rest.length;
  }

  finish(): IdxArray {
    if (this.dimensions === null) {
      const magic = hex(expectedMagic(this.kind), 8);
      const needed = this.headerLength > 0 ? `${this.headerLength}-byte` : 'complete';
      throw invalid(this.file, `a ${needed} IDX header starting with the magic number ${magic}`, formatBytes(this.received), REDOWNLOAD);
    }

    const expectedTotal = this.headerLength + this.dataLength;
    if (this.received !== expectedTotal) {
      throw invalid(
        this.file,
        `${formatCount(expectedTotal)} bytes for ${describeContents(this.kind, this.dimensions)}`,
        formatBytes(this.received),
        REDOWNLOAD,
      );
    }
    const data = new Uint8Array(this.dataLength);
    let offset = 0;
    for (const chunk of this.chunks) {
      data.set(chunk, offset);
      offset += chunk.length;
    }
    this.chunks.length = 0;
    return { file: this.file, dimensions: this.dimensions, data };
  }

  /** Appends header bytes from `chunk` and returns how many bytes of `chunk` it used. */
  private takeHeaderBytes(chunk: Uint8Array): number {
    const requiredLength = this.headerLength > 0 ? this.headerLength : 4;
    const used = Math.min(chunk.length, requiredLength - this.header.length);
    const grown = new Uint8Array(this.header.length + used);
    grown.set(this.header);
    grown.set(chunk.subarray(0, used), this.header.length);
    this.header = grown;
    this.received += used;

    if (this.header.length === 4 && this.headerLength === 0) {
      this.checkMagic();
      this.headerLength = 4 + 4 * DIMENSION_COUNT[this.kind];
      return used + this.takeHeaderBytes(chunk.subarray(used));
    }
    if (this.headerLength > 0 && this.header.length === this.headerLength) {
      this.startData();
    }
    return used;
  }

  private checkMagic(): void {
    const view = new DataView(this.header.buffer, this.header.byteOffset, 4);
    const magic = view.getUint32(0);
    const expectedNumber = expectedMagic(this.kind);
    if (magic === expectedNumber) return;

    const [zero0, zero1, dataType, dimensionCount] = this.header;
    const expected = `magic number ${hex(expectedNumber, 8)} (unsigned bytes, ${DIMENSION_COUNT[this.kind]}-D ${this.kind})`;
    let found: string;
    let fix: string;
    if (zero0 !== 0 || zero1 !== 0) {
      found = `${hex(magic, 8)}, which is not an IDX header`;
      fix = 'Check that the path points to an IDX file (MNIST format), not another kind of file.';
    } else if (dataType !== UNSIGNED_BYTE) {
      const typeName = DATA_TYPE_NAMES[dataType] ?? 'an unknown data type';
      found = `${hex(magic, 8)}: data type ${hex(dataType, 2)} (${typeName})`;
      fix = 'Only unsigned-byte IDX files are supported. Convert the data to bytes from 0 to 255.';
    } else {
      let otherKind = '';
      if (dimensionCount === 1) otherKind = ' (a label file?)';
      if (dimensionCount === 3) otherKind = ' (an image file?)';
      found = `${hex(magic, 8)}: ${dimensionCount} dimension${dimensionCount === 1 ? '' : 's'}${otherKind}`;
      fix = `Check that this is the ${this.kind} file and that images and labels are not swapped.`;
    }
    throw invalid(this.file, expected, found, fix);
  }

  private startData(): void {
    const view = new DataView(this.header.buffer, this.header.byteOffset, this.header.length);
    const dimensions: number[] = [];
    for (let i = 0; i < DIMENSION_COUNT[this.kind]; i++) {
      dimensions.push(view.getUint32(4 + 4 * i));
    }

    if (dimensions.some((size) => size === 0)) {
      throw invalid(this.file, `non-zero sizes for ${this.kind}`, `the shape ${dimensions.join('×')}`, 'The file contains no items. Use a file with at least one.');
    }
    const byteCount = dimensions.reduce((product, size) => product * size, 1);
    if (byteCount > bufferConstants.MAX_LENGTH) {
      throw invalid(
        this.file,
        `at most ${formatCount(bufferConstants.MAX_LENGTH)} data bytes, the maximum size of a Node.js buffer`,
        `a header declaring ${formatCount(byteCount)} bytes for ${describeContents(this.kind, dimensions)}`,
        'Split the dataset into smaller files.',
      );
    }

    this.checkDimensions(dimensions);
    this.dimensions = dimensions;
    this.dataLength = byteCount;
  }
}

async function openFile(file: string): Promise<FileHandle> {
  try {
    return await open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new DatasetError(file, 'an IDX file', 'no such file', `IDX file not found: ${file}. Check the path.`);
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new DatasetError(file, 'a readable IDX file', 'no read permission', `Cannot read IDX file ${file}: permission denied. Check its permissions.`);
    }
    throw error;
  }
}

async function startsWithGzipMagic(handle: FileHandle): Promise<boolean> {
  const start = new Uint8Array(2);
  const { bytesRead } = await handle.read(start, 0, 2, 0);
  return bytesRead === 2 && start[0] === GZIP_MAGIC[0] && start[1] === GZIP_MAGIC[1];
}

/** Zlib raises errors with codes like Z_DATA_ERROR and Z_BUF_ERROR (the latter for a truncated stream). */
function isZlibError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

/**
 * Reads one IDX file of unsigned bytes with the layout `kind` needs, decompressing it when it
 * starts with the gzip magic bytes 1f 8b (whatever its name). `checkDimensions` runs on the
 * header's sizes before any data is read and may throw to reject them.
 * @throws DatasetError when the file is missing, unreadable, not gzip-decodable, has another
 *   magic number, or is shorter or longer than its header declares. Nothing partial is returned.
 */
export async function readIdxFile(file: string, kind: IdxKind, checkDimensions: (dimensions: number[]) => void = () => {}): Promise<IdxArray> {
  const handle = await openFile(file);
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) {
      throw new DatasetError(file, 'an IDX file', 'a directory', `Invalid IDX file ${file}: it is a directory. Pass the path of the ${kind} file itself.`);
    }

    const compressed = await startsWithGzipMagic(handle);
    const collector = new IdxCollector(file, kind, checkDimensions);
    const source: Readable = handle.createReadStream({ start: 0, autoClose: false });
    // The collector's own error is kept aside because pipeline() may reject with the
    // AbortError of tearing down the gunzip stream rather than with the sink's error.
    let collectorError: unknown = null;
    const sink = async (chunks: AsyncIterable<Uint8Array>): Promise<void> => {
      for await (const chunk of chunks) {
        try {
          collector.push(chunk);
        } catch (error) {
          collectorError = error;
          throw error;
        }
      }
    };

    try {
      if (compressed) {
        await pipeline(source, createGunzip(), sink);
      } else {
        await pipeline(source, sink);
      }
    } catch (error) {
      if (collectorError !== null) throw collectorError;
      if (compressed && isZlibError(error)) {
        throw invalid(file, 'valid gzip data', `corrupt gzip data (zlib: ${error.message})`, REDOWNLOAD);
      }
      throw error;
    }
    return collector.finish();
  } finally {
    await handle.close();
  }
}

/**
 * Reads an IDX image file (magic 0x00000803).
 * @throws DatasetError as `readIdxFile` does, and when the images are not 28 × 28.
 */
export async function readIdxImages(file: string): Promise<IdxImages> {
  const checkImageSize = (dimensions: number[]): void => {
    const [count, rows, columns] = dimensions;
    if (rows === IMAGE_SIZE && columns === IMAGE_SIZE) return;
    throw new DatasetError(
      file,
      `${IMAGE_SIZE}×${IMAGE_SIZE} images`,
      `${rows}×${columns} images`,
      `Unsupported image size in ${file}: found ${count} images of ${rows}×${columns} pixels, but the models need ${IMAGE_SIZE}×${IMAGE_SIZE}. Resize the images to ${IMAGE_SIZE}×${IMAGE_SIZE} first.`,
    );
  };

  const { dimensions, data } = await readIdxFile(file, 'images', checkImageSize);
  const [count, rows, columns] = dimensions;
  return { file, count, rows, columns, pixels: data };
}

/** Reads an IDX label file (magic 0x00000801). @throws DatasetError as `readIdxFile` does. */
export async function readIdxLabels(file: string): Promise<IdxLabels> {
  const { dimensions, data } = await readIdxFile(file, 'labels');
  return { file, count: dimensions[0], labels: data };
}

/**
 * Reads an image file and, when given, its label file, and checks that there is one label per image.
 * @throws DatasetError from either file, or when the counts differ.
 */
export async function readIdxImageSet(imagesPath: string, labelsPath?: string): Promise<{ images: IdxImages; labels: IdxLabels | null }> {
  const [images, labels] = await Promise.all([readIdxImages(imagesPath), labelsPath === undefined ? null : readIdxLabels(labelsPath)]);

  if (labels !== null && labels.count !== images.count) {
    throw new DatasetError(
      labels.file,
      `${formatCount(images.count)} labels, one per image in ${imagesPath}`,
      `${formatCount(labels.count)} labels`,
      `Label count mismatch: ${labels.file} has ${formatCount(labels.count)} labels, but ${imagesPath} has ${formatCount(images.count)} images. Pass the label file that belongs to these images.`,
    );
  }
  return { images, labels };
}
