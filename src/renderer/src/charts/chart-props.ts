// Props every chart-kind component takes from the live view.
import type { MetricSeries } from './display-series';

export interface MetricChartProps {
  series: ReadonlyMap<string, MetricSeries>;
  /** Increases whenever `series` gains points. */
  revision: number;
  /** EMA weight in [0, 1). */
  smoothing: number;
  logScale: boolean;
}
