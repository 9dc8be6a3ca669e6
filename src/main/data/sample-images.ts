// PNG pictures of samples: a grid of generated images, and a scatter plot of generated
// against real 2-D points. Encoded with pngjs in the main process or a worker.
import { PNG } from 'pngjs';

/** Each image pixel becomes a SCALE × SCALE block, so 28 × 28 images are readable at 56 × 56. */
const GRID_SCALE = 2;
/** Pixels between images and around the grid. */
const GRID_GAP = 2;
const GRID_GAP_GREY = 128;
/** Pixels that are NaN or infinite are painted in this colour so a broken generator is visible. */
const NON_FINITE_RGB: Rgb = [255, 0, 255];

type Rgb = [number, number, number];

/** An RGBA raster with alpha blending over an opaque background. */
class Raster {
  readonly data: Buffer;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb,
  ) {
    this.data = Buffer.alloc(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      this.data[4 * i] = background[0];
      this.data[4 * i + 1] = background[1];
      this.data[4 * i + 2] = background[2];
      this.data[4 * i + 3] = 255;
    }
  }

  /** Blends `rgb` over pixel (x, y) with opacity `alpha` in [0, 1], ignoring pixels outside the raster. */
  blend(x: number, y: number, rgb: Rgb, alpha = 1): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const offset = 4 * (y * this.width + x);
    for (let c = 0; c < 3; c++) {
      this.data[offset + c] = Math.round(this.data[offset + c] * (1 - alpha) + rgb[c] * alpha);
    }
  }

  fillRect(x: number, y: number, width: number, height: number, rgb: Rgb, alpha = 1): void {
    for (let dy = 0; dy < height; dy++) {
      for (let dx = 0; dx < width; dx++) this.blend(x + dx, y + dy, rgb, alpha);
    }
  }

  fillDisc(cx: number, cy: number, radius: number, rgb: Rgb, alpha: number): void {
    const reach = Math.ceil(radius);
    const x0 = Math.round(cx);
    const y0 = Math.round(cy);
    for (let dy = -reach; dy <= reach; dy++) {
      for (let dx = -reach; dx <= reach; dx++) {
        if (dx * dx + dy * dy <= radius * radius + 0.5) this.blend(x0 + dx, y0 + dy, rgb, alpha);
      }
    }
  }

  encode(): Uint8Array {
    const png = new PNG({ width: this.width, height: this.height });
    this.data.copy(png.data);
    return PNG.sync.write(png, { colorType: 2 });
  }
}

function checkPositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(`Invalid ${name}: expected a positive integer, found ${value}.`);
  }
}

/**
 * Encodes `count` grayscale images as one PNG grid. `images` contains count × height × width
 * values in [-1, 1] (the generator's tanh range), image after image, row-major, where -1 is
 * black and 1 white. Values outside the range are clamped, and NaN or infinite values are shown
 * magenta. Each pixel is drawn 2 × 2, with 2 grey pixels between images. `columns` defaults
 * to ceil(sqrt(count)).
 * @throws RangeError when a size is not a positive integer or `images` contains too few values.
 */
export function encodeImageGrid(images: Float32Array, count: number, height: number, width: number, columns = Math.ceil(Math.sqrt(count))): Uint8Array {
  checkPositiveInteger('count', count);
  checkPositiveInteger('height', height);
  checkPositiveInteger('width', width);
  checkPositiveInteger('columns', columns);
  const pixelsPerImage = height * width;
  if (images.length < count * pixelsPerImage) {
    throw new RangeError(
      `Invalid images: expected ${count} × ${height} × ${width} = ${count * pixelsPerImage} values, found ${images.length}. Pass count, height and width that match the batch.`,
    );
  }

  const gridColumns = Math.min(columns, count);
  const gridRows = Math.ceil(count / gridColumns);
  const tileWidth = width * GRID_SCALE;
  const tileHeight = height * GRID_SCALE;
  const grey: Rgb = [GRID_GAP_GREY, GRID_GAP_GREY, GRID_GAP_GREY];
  const raster = new Raster(gridColumns * (tileWidth + GRID_GAP) + GRID_GAP, gridRows * (tileHeight + GRID_GAP) + GRID_GAP, grey);

  for (let image = 0; image < count; image++) {
    const left = GRID_GAP + (image % gridColumns) * (tileWidth + GRID_GAP);
    const top = GRID_GAP + Math.floor(image / gridColumns) * (tileHeight + GRID_GAP);

    for (let row = 0; row < height; row++) {
      for (let column = 0; column < width; column++) {
        const value = images[image * pixelsPerImage + row * width + column];
        let rgb: Rgb;
        if (Number.isFinite(value)) {
          const level = Math.round(((Math.min(1, Math.max(-1, value)) + 1) / 2) * 255);
          rgb = [level, level, level];
        } else {
          rgb = NON_FINITE_RGB;
        }
        raster.fillRect(left + column * GRID_SCALE, top + row * GRID_SCALE, GRID_SCALE, GRID_SCALE, rgb);
      }
    }
  }
  return raster.encode();
}

/** The data rectangle a scatter plot shows. */
export interface PlotBounds {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

export interface ScatterOptions {
  /** Image width in pixels; 400 by default. */
  width?: number;
  /** Image height in pixels; 400 by default. */
  height?: number;
  /** Fixed bounds, by default the real points' extent plus `margin`. */
  bounds?: PlotBounds;
  /** Margin added on every side, as a fraction of the larger side of the real points' extent; 0.25 by default. */
  margin?: number;
}

const REAL_RGB: Rgb = [140, 140, 140];
const GENERATED_RGB: Rgb = [214, 39, 40];
const AXIS_RGB: Rgb = [225, 225, 235];
const FRAME_RGB: Rgb = [120, 120, 120];
const POINT_RADIUS = 2;

/**
 * Returns a square region around the real points: centred on their extent, with a side equal
 * to the extent's larger side plus `margin` times it on each end, so both axes share one scale.
 * Points that all coincide count as an extent of 2. With no finite point the region is [-1, 1]².
 */
export function boundsOfPoints(points: readonly [number, number][], margin = 0.25): PlotBounds {
  // A loop rather than Math.min(...xs), which overflows the call stack for large arrays.
  let [xLow, xHigh, yLow, yHigh] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const [x, y] of points) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    xLow = Math.min(xLow, x);
    xHigh = Math.max(xHigh, x);
    yLow = Math.min(yLow, y);
    yHigh = Math.max(yHigh, y);
  }
  if (xLow === Infinity) return { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };

  const span = Math.max(xHigh - xLow, yHigh - yLow) || 2;
  const half = span / 2 + margin * span;
  const xCentre = (xLow + xHigh) / 2;
  const yCentre = (yLow + yHigh) / 2;
  return { xMin: xCentre - half, xMax: xCentre + half, yMin: yCentre - half, yMax: yCentre + half };
}

/**
 * Draws generated points (red) over real points (light grey) as a PNG. The axes come from the
 * real points or `options.bounds`, never from the generated points, so a generator that drifts
 * away shows up as points leaving the frame. A generated point outside the frame is drawn as a
 * short red tick on the nearest edge. Points with NaN or infinite coordinates are not drawn.
 */
export function renderScatterPng(generated: readonly [number, number][], real: readonly [number, number][], options: ScatterOptions = {}): Uint8Array {
  const width = options.width ?? 400;
  const height = options.height ?? 400;
  checkPositiveInteger('width', width);
  checkPositiveInteger('height', height);
  const bounds = options.bounds ?? boundsOfPoints(real, options.margin);
  if (!(bounds.xMax > bounds.xMin && bounds.yMax > bounds.yMin)) {
    throw new RangeError(`Invalid bounds ${JSON.stringify(bounds)}: expected xMin < xMax and yMin < yMax.`);
  }

  const raster = new Raster(width, height, [255, 255, 255]);
  const toPixelX = (x: number): number => ((x - bounds.xMin) / (bounds.xMax - bounds.xMin)) * (width - 1);
  const toPixelY = (y: number): number => (1 - (y - bounds.yMin) / (bounds.yMax - bounds.yMin)) * (height - 1);

  // Axes through the origin, when it is in view.
  if (bounds.xMin < 0 && bounds.xMax > 0) raster.fillRect(Math.round(toPixelX(0)), 0, 1, height, AXIS_RGB);
  if (bounds.yMin < 0 && bounds.yMax > 0) raster.fillRect(0, Math.round(toPixelY(0)), width, 1, AXIS_RGB);

  for (const [x, y] of real) {
    if (Number.isFinite(x) && Number.isFinite(y)) raster.fillDisc(toPixelX(x), toPixelY(y), POINT_RADIUS, REAL_RGB, 1);
  }

  for (const [x, y] of generated) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;

    const px = toPixelX(x);
    const py = toPixelY(y);
    const inside = px >= 0 && px <= width - 1 && py >= 0 && py <= height - 1;
    if (inside) {
      raster.fillDisc(px, py, POINT_RADIUS, GENERATED_RGB, 0.6);
      continue;
    }

    // Out of frame: a 6-pixel tick pointing inwards from the nearest edge.
    const edgeX = Math.round(Math.min(width - 1, Math.max(0, px)));
    const edgeY = Math.round(Math.min(height - 1, Math.max(0, py)));
    const horizontalTick = px < 0 || px > width - 1;
    if (horizontalTick) {
      raster.fillRect(px < 0 ? 0 : width - 6, edgeY - 1, 6, 3, GENERATED_RGB);
    } else {
      raster.fillRect(edgeX - 1, py < 0 ? 0 : height - 6, 3, 6, GENERATED_RGB);
    }
  }

  // A frame, so the plot's extent is visible against a white page.
  raster.fillRect(0, 0, width, 1, FRAME_RGB);
  raster.fillRect(0, height - 1, width, 1, FRAME_RGB);
  raster.fillRect(0, 0, 1, height, FRAME_RGB);
  raster.fillRect(width - 1, 0, 1, height, FRAME_RGB);
  return raster.encode();
}
