// Largest-Triangle-Three-Buckets downsampling (Steinarsson 2013, "Downsampling Time Series
// for Visual Representation", MSc thesis, University of Iceland).
//
// NOTE: Chart.js has an LTTB decimation plugin, but it runs inside every chart update over the
// full dataset Chart.js holds. Downsampling here, before the data reaches Chart.js, keeps each
// update bounded by `threshold` points per series however long the run is, and lets the EMA
// and the log-scale filter work on the full series first.

export interface ChartPoint {
  x: number;
  y: number;
}

/**
 * Picks at most `threshold` points of the series (xs, ys) that keep its visual shape: the
 * first and last point, and from each of `threshold − 2` equal buckets in between the point
 * forming the largest triangle with the previously kept point and the next bucket's average.
 * Series with at most `threshold` points come back whole. `xs` must be ascending.
 */
export function lttb(xs: ArrayLike<number>, ys: ArrayLike<number>, threshold: number): ChartPoint[] {
  if (xs.length !== ys.length) {
    throw new RangeError(`lttb needs as many x values as y values, but got ${xs.length} x and ${ys.length} y.`);
  }
  if (!Number.isInteger(threshold) || threshold < 3) {
    throw new RangeError(`Invalid LTTB threshold ${threshold}: expected an integer of at least 3.`);
  }

  const length = xs.length;
  if (length <= threshold) {
    return Array.from({ length }, (_, i) => ({ x: xs[i], y: ys[i] }));
  }

  const kept: ChartPoint[] = [{ x: xs[0], y: ys[0] }];
  // The inner points (all but the first and last) are split into threshold − 2 buckets.
  const bucketSize = (length - 2) / (threshold - 2);
  let previous = 0;

  for (let bucket = 0; bucket < threshold - 2; bucket++) {
    const start = Math.floor(bucket * bucketSize) + 1;
    const end = Math.floor((bucket + 1) * bucketSize) + 1;

    // Average of the next bucket; the last bucket looks ahead to the final point only.
    const nextStart = end;
    const nextEnd = Math.min(Math.floor((bucket + 2) * bucketSize) + 1, length);
    let averageX = 0;
    let averageY = 0;
    let averageCount = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      if (!Number.isFinite(ys[j])) continue;
      averageX += xs[j];
      averageY += ys[j];
      averageCount += 1;
    }
    if (averageCount === 0) {
      averageX = xs[length - 1];
      averageY = Number.isFinite(ys[length - 1]) ? ys[length - 1] : 0;
    } else {
      averageX /= averageCount;
      averageY /= averageCount;
    }

    // Twice the triangle area; the factor 1/2 does not change which point is largest.
    const anchorX = xs[previous];
    const anchorY = ys[previous];
    let chosen = start;
    let largestArea = -1;
    for (let j = start; j < end; j++) {
      const area = Math.abs((anchorX - averageX) * (ys[j] - anchorY) - (anchorX - xs[j]) * (averageY - anchorY));
      if (area > largestArea) {
        largestArea = area;
        chosen = j;
      }
    }

    kept.push({ x: xs[chosen], y: ys[chosen] });
    previous = chosen;
  }

  kept.push({ x: xs[length - 1], y: ys[length - 1] });
  return kept;
}
