// Vertical markers at the steps of controller changes and mode-collapse alarms, drawn over
// every line chart by a small Chart.js plugin.
import type { Chart, Plugin } from 'chart.js';
import type { RunEvent } from '../../../shared/run';

export type MarkerKind = 'controller' | 'collapse';

export interface ChartMarker {
  step: number;
  kind: MarkerKind;
  /** The event's message, for the legend below the chart and tests. */
  label: string;
}

/** Returns a marker for each controller and collapse event, in step order. */
export function markersFromEvents(events: readonly RunEvent[]): ChartMarker[] {
  const markers: ChartMarker[] = [];
  for (const event of events) {
    if (event.kind === 'controller' || event.kind === 'collapse') {
      markers.push({ step: event.step, kind: event.kind, label: event.message });
    }
  }
  return markers.sort((a, b) => a.step - b.step);
}

const MARKER_VARIABLES: Record<MarkerKind, string> = {
  controller: '--marker-controller',
  collapse: '--marker-collapse',
};
const FALLBACK_COLORS: Record<MarkerKind, string> = { controller: '#1098ad', collapse: '#d62828' };

function markerColor(kind: MarkerKind): string {
  // Canvas cannot read CSS variables, so the theme's colour is looked up at each draw.
  const value = typeof getComputedStyle === 'function' ? getComputedStyle(document.documentElement).getPropertyValue(MARKER_VARIABLES[kind]).trim() : '';
  return value || FALLBACK_COLORS[kind];
}

/** Returns a plugin that draws `markers()` as dashed (controller) or solid (collapse) vertical lines. */
export function createEventMarkersPlugin(markers: () => readonly ChartMarker[]): Plugin<'line'> {
  return {
    id: 'eventMarkers',
    afterDatasetsDraw(chart: Chart<'line'>) {
      const list = markers();
      const scale = chart.scales.x;
      if (list.length === 0 || !scale) return;

      const { ctx, chartArea } = chart;
      ctx.save();
      ctx.lineWidth = 1;
      for (const marker of list) {
        const x = scale.getPixelForValue(marker.step);
        if (!Number.isFinite(x) || x < chartArea.left || x > chartArea.right) continue;

        ctx.strokeStyle = markerColor(marker.kind);
        ctx.setLineDash(marker.kind === 'controller' ? [3, 3] : []);
        ctx.globalAlpha = 0.75;
        ctx.beginPath();
        ctx.moveTo(Math.round(x) + 0.5, chartArea.top);
        ctx.lineTo(Math.round(x) + 0.5, chartArea.bottom);
        ctx.stroke();
      }
      ctx.restore();
    },
  };
}
