// Reads the mode-collapse indicators out of a run's metric series: the latest value of each,
// and the latest per-mode or per-class histogram.
import type { MetricSeries } from './display-series';

/** The last logged value of a metric, or null when the run has none. */
export function latestValue(series: ReadonlyMap<string, MetricSeries>, name: string): number | null {
  const values = series.get(name)?.values;
  return values && values.length > 0 ? values[values.length - 1] : null;
}

export interface HistogramBin {
  index: number;
  count: number;
}

/**
 * Returns the bins of the histogram logged as `<prefix><k>` (e.g. `modeCount.3`) at the latest
 * evaluation, sorted by k. A bin that was not logged at that evaluation counts 0; the step is
 * null when the run logged no bin yet.
 */
export function latestHistogram(series: ReadonlyMap<string, MetricSeries>, prefix: string): { step: number | null; bins: HistogramBin[] } {
  const logged: { index: number; series: MetricSeries }[] = [];
  for (const [name, values] of series) {
    if (!name.startsWith(prefix) || values.steps.length === 0) continue;
    const index = Number(name.slice(prefix.length));
    if (Number.isInteger(index) && index >= 0) logged.push({ index, series: values });
  }
  if (logged.length === 0) return { step: null, bins: [] };

  const step = Math.max(...logged.map((entry) => entry.series.steps[entry.series.steps.length - 1]));
  const bins = logged
    .map(({ index, series: values }) => {
      const last = values.steps.length - 1;
      return { index, count: values.steps[last] === step ? values.values[last] : 0 };
    })
    .sort((a, b) => a.index - b.index);
  return { step, bins };
}
