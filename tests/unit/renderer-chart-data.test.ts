import { describe, expect, it } from 'vitest';
import { DISPLAY_POINTS, prepareDisplaySeries } from '../../src/renderer/src/charts/display-series';
import { smoothEma } from '../../src/renderer/src/charts/ema';
import { lttb } from '../../src/renderer/src/charts/lttb';
import { extraMetricLines } from '../../src/renderer/src/charts/metric-lines';

describe('smoothEma', () => {
  it('debiases the first values', () => {
    // w = 0.5: s1 = 0.5·1 = 0.5 → 0.5 / (1 − 0.5) = 1; s2 = 0.25 + 1.5 = 1.75 → 1.75 / 0.75.
    const smoothed = smoothEma([1, 3], 0.5);
    expect(smoothed[0]).toBeCloseTo(1, 12);
    expect(smoothed[1]).toBeCloseTo(7 / 3, 12);
  });

  it('returns raw values for weight 0', () => {
    expect(smoothEma([4, -2, 9], 0)).toEqual([4, -2, 9]);
  });

  it('passes non-finite values through', () => {
    // The NaN is skipped, so the third value averages 1 and 3 as if they were adjacent.
    const smoothed = smoothEma([1, Number.NaN, 3], 0.5);
    expect(smoothed[0]).toBeCloseTo(1, 12);
    expect(smoothed[1]).toBeNaN();
    expect(smoothed[2]).toBeCloseTo(7 / 3, 12);
  });

  it('rejects a weight outside [0, 1)', () => {
    expect(() => smoothEma([1], 1)).toThrow(/Invalid smoothing weight 1/);
    expect(() => smoothEma([1], -0.1)).toThrow(/expected a number in \[0, 1\)/);
  });
});

describe('lttb', () => {
  it('returns short series whole', () => {
    expect(lttb([0, 1, 2], [5, 6, 7], 3)).toEqual([
      { x: 0, y: 5 },
      { x: 1, y: 6 },
      { x: 2, y: 7 },
    ]);
  });

  it('keeps a spike and the end points', () => {
    // Five points into three: the single bucket contains x = 1, 2, 3, and the spike at x = 2
    // spans the largest triangle with (0, 0) and the last point (4, 0).
    const kept = lttb([0, 1, 2, 3, 4], [0, 1, 10, 1, 0], 3);
    expect(kept).toEqual([
      { x: 0, y: 0 },
      { x: 2, y: 10 },
      { x: 4, y: 0 },
    ]);
  });

  it('picks the hand-computed point per bucket', () => {
    // Six points into four: buckets {x = 1, 2} and {x = 3, 4}; doubled triangle areas below.
    // Bucket 1, anchor (0, 0), next-bucket average (3.5, 2.5): area = |−3.5·y + 2.5·x|,
    // so x = 1 (y = 1) gives 1 and x = 2 (y = 5) gives 12.5, and x = 2 is kept.
    // Bucket 2, anchor (2, 5), last point (5, 0): area = |−3·(y − 5) + 5·(2 − x)|,
    // so x = 3 (y = 0) and x = 4 (y = 5) both give 10, and the first of a tie is kept.
    const kept = lttb([0, 1, 2, 3, 4, 5], [0, 1, 5, 0, 5, 0], 4);
    expect(kept.map((point) => point.x)).toEqual([0, 2, 3, 5]);
  });

  it('rejects mismatched lengths and small thresholds', () => {
    expect(() => lttb([0, 1], [0], 3)).toThrow(/2 x and 1 y/);
    expect(() => lttb([0, 1], [0, 1], 2)).toThrow(/Invalid LTTB threshold 2/);
  });
});

describe('prepareDisplaySeries', () => {
  it('bounds 100,000 logged steps to the display size', () => {
    const steps = Array.from({ length: 100_000 }, (_, i) => i + 1);
    const values = steps.map((step) => Math.sin(step / 500) + 0.001 * (step % 7));
    const shown = prepareDisplaySeries({ steps, values }, { smoothing: 0.9, logScale: false });

    expect(shown.raw.length).toBe(DISPLAY_POINTS);
    expect(shown.smoothed?.length).toBe(DISPLAY_POINTS);
    expect(shown.raw[0]).toEqual({ x: 1, y: values[0] });
    expect(shown.raw[DISPLAY_POINTS - 1]).toEqual({ x: 100_000, y: values[99_999] });
    const xs = shown.raw.map((point) => point.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
  });

  it('hides non-positive values on a log scale', () => {
    const shown = prepareDisplaySeries({ steps: [1, 2, 3, 4], values: [1, -1, 0, 2] }, { smoothing: 0, logScale: true });
    expect(shown.hiddenCount).toBe(2);
    expect(shown.smoothed).toBeNull();
    expect(shown.raw.map((point) => point.y)).toEqual([1, Number.NaN, Number.NaN, 2]);
  });
});

describe('extraMetricLines', () => {
  it('lists only metrics no chart shows', () => {
    const lines = extraMetricLines(['lossD', 'rT', 'gradNormG', 'fid']);
    expect(lines.map((line) => line.name)).toEqual(['fid', 'rT']);
  });
});
