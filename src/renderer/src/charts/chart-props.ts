// Props every chart-kind component takes from the live view.
import type { MetricSeries } from './display-series';
import type { ChartMarker } from './event-markers';

export interface MetricChartProps {
  series: ReadonlyMap<string, MetricSeries>;
  /** Increases whenever `series` gains points. */
  revision: number;
  /** EMA weight in [0, 1). */
  smoothing: number;
  logScale: boolean;
  /** Controller changes and collapse alarms, drawn as vertical lines at their steps. */
  markers?: readonly ChartMarker[];
}
