// Turns a stored metric series into what a chart draws: smoothed, fitted to the y scale and
// downsampled, so a chart's cost stays bounded however many steps a run logs.
import { smoothEma } from './ema';
import { lttb, type ChartPoint } from './lttb';

/** Points per drawn line: about two per horizontal pixel of a chart at 1280×800. */
export const DISPLAY_POINTS = 1000;

/** One metric's values by step, in ascending step order. */
export interface MetricSeries {
  steps: number[];
  values: number[];
}

export interface DisplayOptions {
  /** EMA weight in [0, 1); 0 draws the raw values only. */
  smoothing: number;
  logScale: boolean;
  maxPoints?: number;
}

export interface DisplaySeries {
  /** The raw values (downsampled); drawn faintly under the smoothed line when there is one. */
  raw: ChartPoint[];
  smoothed: ChartPoint[] | null;
  /** Values a log scale cannot show (zero or negative), drawn as gaps. */
  hiddenCount: number;
}

function hideNonPositive(values: number[]): { values: number[]; hiddenCount: number } {
  let hiddenCount = 0;
  const shown = values.map((value) => {
    if (value > 0 || Number.isNaN(value)) return value;
    hiddenCount += 1;
    return Number.NaN;
  });
  return { values: shown, hiddenCount };
}

/** Prepares one series for drawing: EMA over the full series, then the log-scale gaps, then LTTB. */
export function prepareDisplaySeries(series: MetricSeries, options: DisplayOptions): DisplaySeries {
  const maxPoints = options.maxPoints ?? DISPLAY_POINTS;
  let rawValues = series.values;
  let hiddenCount = 0;
  if (options.logScale) {
    ({ values: rawValues, hiddenCount } = hideNonPositive(series.values));
  }
  const raw = lttb(series.steps, rawValues, maxPoints);
  if (options.smoothing === 0) return { raw, smoothed: null, hiddenCount };

  let smoothedValues = smoothEma(series.values, options.smoothing);
  if (options.logScale) smoothedValues = hideNonPositive(smoothedValues).values;
  return { raw, smoothed: lttb(series.steps, smoothedValues, maxPoints), hiddenCount };
}
