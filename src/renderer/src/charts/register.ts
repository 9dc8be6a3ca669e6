// Registers the Chart.js parts the line charts use, so the bundle leaves the rest out.
import { Chart, Legend, LineController, LineElement, LinearScale, LogarithmicScale, PointElement, Tooltip } from 'chart.js';

// Chart.register ignores parts registered before, so calling this from each chart is safe.
export function registerChartParts(): void {
  Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip);
}
