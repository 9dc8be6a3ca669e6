import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { boundsOfPoints, encodeImageGrid, renderScatterPng } from '../../src/main/data/sample-images';

function decode(bytes: Uint8Array): PNG {
  return PNG.sync.read(Buffer.from(bytes));
}

function rgbAt(png: PNG, x: number, y: number): [number, number, number] {
  const offset = 4 * (y * png.width + x);
  return [png.data[offset], png.data[offset + 1], png.data[offset + 2]];
}

describe('encodeImageGrid', () => {
  // Two 2×3 images: the first black, white and mid-light; the second with a NaN and clamped values.
  const images = Float32Array.from([
    -1, 1, 0.5,
    -1, 1, 0.5,
    Number.NaN, 3, -3,
    -1, -1, -1,
  ]);

  it('lays out a two-column grid', () => {
    const png = decode(encodeImageGrid(images, 2, 2, 3));

    // Two tiles of 6 × 4 pixels (scaled ×2) with 2-pixel gaps: 2·(6+2)+2 by 1·(4+2)+2.
    expect(png.width).toBe(18);
    expect(png.height).toBe(8);
  });

  it('maps values to grey levels', () => {
    const png = decode(encodeImageGrid(images, 2, 2, 3));

    expect(rgbAt(png, 0, 0)).toEqual([128, 128, 128]);
    expect(rgbAt(png, 2, 2)).toEqual([0, 0, 0]);
    expect(rgbAt(png, 3, 3)).toEqual([0, 0, 0]);
    expect(rgbAt(png, 4, 2)).toEqual([255, 255, 255]);
    // 0.5 → round(0.75 · 255) = 191.
    expect(rgbAt(png, 6, 2)).toEqual([191, 191, 191]);
    expect(rgbAt(png, 6, 5)).toEqual([191, 191, 191]);
  });

  it('clamps and marks non-finite values', () => {
    const png = decode(encodeImageGrid(images, 2, 2, 3));
    const left = 2 + 6 + 2;

    expect(rgbAt(png, left, 2)).toEqual([255, 0, 255]);
    expect(rgbAt(png, left + 2, 2)).toEqual([255, 255, 255]);
    expect(rgbAt(png, left + 4, 2)).toEqual([0, 0, 0]);
  });

  it('wraps into rows', () => {
    const png = decode(encodeImageGrid(new Float32Array(5 * 4).fill(0), 5, 2, 2, 2));

    // 2 columns and 3 rows of 4 × 4 tiles.
    expect(png.width).toBe(2 * 6 + 2);
    expect(png.height).toBe(3 * 6 + 2);
    // The sixth cell is empty and stays grey.
    expect(rgbAt(png, 2 + 6 + 1, 2 + 12 + 1)).toEqual([128, 128, 128]);
  });

  it('rejects a short buffer', () => {
    expect(() => encodeImageGrid(new Float32Array(10), 4, 28, 28)).toThrow('Invalid images: expected 4 × 28 × 28 = 3136 values, found 10');
  });

  it('rejects a zero count', () => {
    expect(() => encodeImageGrid(new Float32Array(10), 0, 28, 28)).toThrow('Invalid count: expected a positive integer, found 0');
  });
});

describe('boundsOfPoints', () => {
  it('adds a square margin', () => {
    const bounds = boundsOfPoints([
      [-1, -1],
      [1, 1],
      [0, 0.5],
    ]);

    // Extent 2 × 2 plus 0.25 · 2 on each side.
    expect(bounds).toEqual({ xMin: -1.5, xMax: 1.5, yMin: -1.5, yMax: 1.5 });
  });

  it('uses the larger side for both axes', () => {
    const bounds = boundsOfPoints(
      [
        [0, 0],
        [4, 1],
      ],
      0,
    );

    expect(bounds).toEqual({ xMin: 0, xMax: 4, yMin: -1.5, yMax: 2.5 });
  });

  it('falls back for no points', () => {
    expect(boundsOfPoints([])).toEqual({ xMin: -1, xMax: 1, yMin: -1, yMax: 1 });
  });
});

describe('renderScatterPng', () => {
  const real: [number, number][] = [
    [-1, -1],
    [1, 1],
  ];

  it('draws real points grey', () => {
    const png = decode(renderScatterPng([], real));

    expect(png.width).toBe(400);
    expect(png.height).toBe(400);
    // (-1, -1) in [-1.5, 1.5]² lands at (0.5/3 · 399, (1 − 0.5/3) · 399) = (66.5, 332.5) → (67, 333).
    expect(rgbAt(png, 67, 333)).toEqual([140, 140, 140]);
    expect(rgbAt(png, 20, 20)).toEqual([255, 255, 255]);
    expect(rgbAt(png, 0, 20)).toEqual([120, 120, 120]);
  });

  it('draws generated points red', () => {
    const png = decode(renderScatterPng([[0.5, -0.5]], real));
    // (0.5, −0.5) lands at (2/3 · 399, 2/3 · 399) = (266, 266).
    const [r, g, b] = rgbAt(png, 266, 266);

    // 60 % of (214, 39, 40) over white: 255 − 0.6 · (255 − c).
    expect(r).toBe(230);
    expect(g).toBe(125);
    expect(b).toBe(126);
  });

  it('keeps the frame from real points', () => {
    const near = decode(renderScatterPng([[0, 0]], real));
    const far = decode(renderScatterPng([[50, 0]], real));

    expect(rgbAt(far, 67, 333)).toEqual(rgbAt(near, 67, 333));
    // The far point becomes a tick on the right edge at y = 199.5 → 200.
    expect(rgbAt(far, 396, 200)).toEqual([214, 39, 40]);
    expect(rgbAt(far, 200, 200)).not.toEqual([214, 39, 40]);
  });

  it('honours explicit bounds and size', () => {
    const png = decode(renderScatterPng([[0, 0]], [], { width: 101, height: 51, bounds: { xMin: 0, xMax: 10, yMin: 0, yMax: 5 } }));

    expect(png.width).toBe(101);
    expect(png.height).toBe(51);
    expect(rgbAt(png, 0, 50)).toEqual([120, 120, 120]);
  });

  it('skips non-finite points', () => {
    expect(() => decode(renderScatterPng([[Number.NaN, 0], [Infinity, 1]], real))).not.toThrow();
  });

  it('rejects empty bounds', () => {
    expect(() => renderScatterPng([], [], { bounds: { xMin: 1, xMax: 1, yMin: 0, yMax: 1 } })).toThrow(/Invalid bounds/);
  });
});
