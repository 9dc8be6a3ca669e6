// Which logged metric goes on which chart, with its legend label and colour. D's lines are
// orange and G's blue; real data is green and generated data purple, on every chart.

export interface MetricLine {
  /** Metric name as the training worker logs it. */
  name: string;
  label: string;
  color: string;
}

export const CHART_KINDS = ['loss', 'discriminator-output', 'accuracy', 'gradient-norm'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

const D_COLOR = '#e8590c';
const G_COLOR = '#1c7ed6';
const REAL_COLOR = '#2f9e44';
const FAKE_COLOR = '#ae3ec9';

export const CHART_LINES: Record<ChartKind, MetricLine[]> = {
  loss: [
    { name: 'lossD', label: 'D loss', color: D_COLOR },
    { name: 'lossG', label: 'G loss', color: G_COLOR },
  ],
  'discriminator-output': [
    { name: 'dReal', label: 'D(x)', color: REAL_COLOR },
    { name: 'dFake', label: 'D(G(z))', color: FAKE_COLOR },
  ],
  accuracy: [
    { name: 'accReal', label: 'D accuracy on real', color: REAL_COLOR },
    { name: 'accFake', label: 'D accuracy on fake', color: FAKE_COLOR },
  ],
  'gradient-norm': [
    { name: 'gradNormD', label: '‖∇D‖', color: D_COLOR },
    { name: 'gradNormG', label: '‖∇G‖', color: G_COLOR },
  ],
};

const KNOWN_NAMES = new Set(Object.values(CHART_LINES).flatMap((lines) => lines.map((line) => line.name)));

// Colours for metrics no chart kind claims, in the order their names sort.
const EXTRA_COLORS = ['#0ca678', '#f08c00', '#7048e8', '#d6336c', '#1098ad', '#74b816', '#495057'];

/** Lines for the logged metrics that none of the chart kinds shows, sorted by name. */
export function extraMetricLines(names: Iterable<string>): MetricLine[] {
  const extra = [...names].filter((name) => !KNOWN_NAMES.has(name)).sort();
  return extra.map((name, i) => ({ name, label: name, color: EXTRA_COLORS[i % EXTRA_COLORS.length] }));
}
