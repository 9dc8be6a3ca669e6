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

/** A chart of balancing-technique metrics, shown only when the run logs one of its lines. */
export interface MetricGroup {
  id: string;
  title: string;
  subtitle: string;
  lines: MetricLine[];
  /** Fixed y range on the linear scale. */
  yRange?: [number, number];
  /** Draw the raw values without smoothing, because the values are settings, not noisy estimates. */
  raw?: boolean;
  /** Show the chart only when a line changes over the run: a constant setting needs no chart. */
  onlyWhenChanging?: boolean;
}

export const BALANCE_GROUPS: readonly MetricGroup[] = [
  {
    id: 'rt',
    title: 'r_t',
    subtitle: 'mean sign of D on reals (ADA overfitting signal)',
    lines: [
      { name: 'rt', label: 'r_t', color: REAL_COLOR },
      { name: 'rtAverage', label: 'r_t, controller average', color: D_COLOR },
    ],
    yRange: [-1, 1],
  },
  {
    id: 'critic',
    title: 'Critic',
    subtitle: 'Wasserstein estimate E[D(x)] − E[D(G(z))]',
    lines: [{ name: 'wassersteinEstimate', label: 'Wasserstein estimate', color: D_COLOR }],
  },
  {
    id: 'regularizers',
    title: 'Regularizer terms',
    subtitle: 'gradient penalty (D), feature matching (G)',
    lines: [
      { name: 'gradientPenalty', label: 'gradient penalty', color: D_COLOR },
      { name: 'featureMatching', label: 'feature matching', color: G_COLOR },
    ],
  },
  {
    id: 'learning-rate',
    title: 'Learning rates',
    subtitle: 'after the schedule',
    raw: true,
    onlyWhenChanging: true,
    lines: [
      { name: 'lrD', label: 'lr D', color: D_COLOR },
      { name: 'lrG', label: 'lr G', color: G_COLOR },
    ],
  },
  {
    id: 'controller',
    title: 'Controller knobs',
    subtitle: 'k, nD, instance-noise σ, equilibrium gap',
    raw: true,
    lines: [
      { name: 'k', label: 'k', color: '#7048e8' },
      { name: 'nD', label: 'nD', color: D_COLOR },
      { name: 'instanceNoiseStd', label: 'noise σ', color: '#0ca678' },
      { name: 'equilibriumGap', label: 'equilibrium gap', color: '#d6336c' },
    ],
  },
];

/** Metrics the mode-collapse panel shows. */
export const COLLAPSE_METRICS = [
  'highQualityFraction',
  'modesCovered',
  'modesTotal',
  'modeCoverageMinimum',
  'reverseKL',
  'diversity',
  'classifierTestAccuracy',
  'classesCovered',
  'classesTotal',
  'classKL',
  'classifierFrechetDistance',
  'precision',
  'recall',
  'density',
  'coverage',
  'ndb',
  'ndbBins',
  'collapseAlarm',
  'evalMs',
] as const;

const KNOWN_NAMES = new Set([
  ...Object.values(CHART_LINES).flatMap((lines) => lines.map((line) => line.name)),
  ...BALANCE_GROUPS.flatMap((group) => group.lines.map((line) => line.name)),
  ...COLLAPSE_METRICS,
  // One verdict code per logged step: drawn as the timeline strip, not as a line.
  'verdictCode',
]);

/** Per-mode and per-class histogram series, shown as bars in the mode-collapse panel. */
const HISTOGRAM_PREFIXES = ['modeCount.', 'classCount.'];

// Colours for metrics no chart kind claims, in the order their names sort.
const EXTRA_COLORS = ['#0ca678', '#f08c00', '#7048e8', '#d6336c', '#1098ad', '#74b816', '#495057'];

/** Lines for the logged metrics that no other chart or panel shows, sorted by name. */
export function extraMetricLines(names: Iterable<string>): MetricLine[] {
  const extra = [...names].filter((name) => !KNOWN_NAMES.has(name) && !HISTOGRAM_PREFIXES.some((prefix) => name.startsWith(prefix))).sort();
  return extra.map((name, i) => ({ name, label: name, color: EXTRA_COLORS[i % EXTRA_COLORS.length] }));
}
