// `gan-workbench train`: validates the config, trains one run in a worker thread, shows
// progress, and ends with a summary (a JSON object as the last line with --json).
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import type { RunConfig } from '../../shared/config';
import type { RunRecord } from '../../shared/run';
import { verdictsFromEvents, type Verdict, type VerdictChange, type VerdictId } from '../../shared/verdict';
import { RunStore } from '../store/run-store';
import { TrainingService } from '../training/training-service';
import { checkBackendAvailable, checkDatasetLoads } from '../training/preflight';
import { buildRunConfig, type TrainFlags } from './train-options';
import { UsageError } from './usage-error';

export interface TrainCommandOptions extends TrainFlags {
  db: string;
  json?: boolean;
  printConfig?: boolean;
}

/** Exit code when the user interrupted training with Ctrl-C (128 + SIGINT). */
const EXIT_INTERRUPTED = 130;

export interface TrainSummary {
  runId: number;
  name: string;
  status: RunRecord['status'];
  backend: string | null;
  gpu: boolean;
  steps: number;
  durationMs: number;
  metrics: Record<string, number>;
  dataset: RunRecord['dataset'];
  error: string | null;
  /** The last balance verdict, or null when the run logged too few steps for one. */
  verdict: VerdictId | null;
  /** Every verdict change, oldest first. */
  verdicts: VerdictChange[];
  db: string;
}

function formatNumber(value: number | undefined): string {
  if (value === undefined) return '–';
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 || Math.abs(value) < 0.01 ? value.toExponential(2) : value.toFixed(3);
}

/** Shows progress: a live bar on a terminal, a line every 10% otherwise, nothing with --json. */
class ProgressView {
  private bar: cliProgress.SingleBar | null = null;
  private lastDecile = -1;
  private latest: Record<string, number> = {};

  constructor(private readonly config: RunConfig, private readonly quiet: boolean) {
    if (quiet || !process.stderr.isTTY) return;
    this.bar = new cliProgress.SingleBar(
      {
        format: '{bar} {value}/{total} steps | {speed} steps/s | ETA {eta_formatted} | D {lossD} G {lossG}',
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(config.steps, 0, { speed: '0.0', lossD: '–', lossG: '–' });
  }

  metrics(points: { name: string; value: number }[]): void {
    for (const point of points) this.latest[point.name] = point.value;
  }

  progress(step: number, stepsPerSecond: number): void {
    const payload = { speed: stepsPerSecond.toFixed(1), lossD: formatNumber(this.latest.lossD), lossG: formatNumber(this.latest.lossG) };
    if (this.bar) {
      this.bar.update(step, payload);
      return;
    }
    if (this.quiet) return;

    const decile = Math.floor((step / this.config.steps) * 10);
    if (decile > this.lastDecile) {
      this.lastDecile = decile;
      process.stderr.write(`step ${step}/${this.config.steps}  ${payload.speed} steps/s  D ${payload.lossD}  G ${payload.lossG}\n`);
    }
  }

  stop(): void {
    this.bar?.stop();
  }
}

function summarize(run: RunRecord, store: RunStore, verdicts: Verdict[], durationMs: number, db: string): TrainSummary {
  return {
    runId: run.id,
    name: run.name,
    status: run.status,
    backend: run.backend?.name ?? null,
    gpu: run.backend?.gpu ?? false,
    steps: run.step,
    durationMs,
    metrics: store.latestMetrics(run.id),
    dataset: run.dataset,
    error: run.error,
    verdict: verdicts.at(-1)?.id ?? null,
    verdicts: verdicts.map(({ step, id }) => ({ step, id })),
    db,
  };
}

/** Balance statistics shown first in the text summary, in this order. */
const BALANCE_METRICS = ['lossD', 'lossG', 'dReal', 'dFake', 'accReal', 'accFake', 'gradNormD', 'gradNormG', 'rt'];
/** Mode-collapse indicators shown on their own line, in this order. */
const COLLAPSE_METRICS = [
  'highQualityFraction', 'reverseKL', 'classKL', 'classifierFrechetDistance',
  'precision', 'recall', 'density', 'coverage', 'ndb', 'diversity',
];
/** Per-mode and per-class counts and the timeline code are in `--json` and the UI; the text
 * summary leaves them out to stay short. */
const HIDDEN_METRIC = /^(modeCount|classCount)\.|^verdictCode$|^(modesTotal|classesTotal|modesCovered|classesCovered|ndbBins)$/;

function joinMetrics(metrics: Record<string, number>, names: string[]): string {
  return names
    .filter((name) => name in metrics)
    .map((name) => `${name} ${formatNumber(metrics[name])}`)
    .join(', ');
}

/** Formats the last logged metrics as up to three lines: balance, mode collapse, the rest. */
function describeMetrics(metrics: Record<string, number>): string[] {
  const lines: string[] = [];
  const balance = joinMetrics(metrics, BALANCE_METRICS);
  if (balance) lines.push(`balance: ${balance}`);

  const coverage: string[] = [];
  if ('modesCovered' in metrics) coverage.push(`modes covered ${metrics.modesCovered}/${metrics.modesTotal ?? '?'}`);
  if ('classesCovered' in metrics) coverage.push(`classes covered ${metrics.classesCovered}/${metrics.classesTotal ?? '?'}`);
  const collapse = [...coverage, joinMetrics(metrics, COLLAPSE_METRICS)].filter(Boolean).join(', ');
  if (collapse) lines.push(`mode collapse: ${collapse}`);

  const shown = new Set([...BALANCE_METRICS, ...COLLAPSE_METRICS]);
  const rest = Object.keys(metrics).filter((name) => !shown.has(name) && !HIDDEN_METRIC.test(name));
  const other = joinMetrics(metrics, rest);
  if (other) lines.push(`other: ${other}`);
  return lines;
}

function printHumanSummary(summary: TrainSummary, run: RunRecord, store: RunStore, verdicts: Verdict[]): void {
  const lines = [
    `run ${summary.runId} "${summary.name}" ${summary.status} after ${summary.steps} steps in ${(summary.durationMs / 1000).toFixed(1)} s on the ${summary.backend ?? 'unknown'} backend${summary.gpu ? ' (GPU)' : ''}`,
  ];
  if (summary.error) lines.push(`error: ${summary.error}`);

  const verdict = verdicts.at(-1);
  if (verdict) {
    lines.push(`verdict: ${verdict.id} since step ${verdict.step}. ${verdict.message}`);
    for (const suggestion of verdict.suggestions) lines.push(`  try: ${suggestion.text}`);
  }

  lines.push(...describeMetrics(summary.metrics));

  const samples = store.getSamples(run.id);
  const lastSample = samples[samples.length - 1];
  if (lastSample?.file) lines.push(`latest sample: ${lastSample.file}`);
  lines.push(`database: ${summary.db}`);
  process.stdout.write(lines.join('\n') + '\n');
}

/** Runs `train` and returns the process exit code. */
export async function runTrainCommand(options: TrainCommandOptions): Promise<number> {
  const config = buildRunConfig(options);
  if (options.printConfig) {
    process.stdout.write(JSON.stringify(config, null, 2) + '\n');
    return 0;
  }
  try {
    await checkBackendAvailable(config.backend);
    await checkDatasetLoads(config.dataset);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }

  const db = resolve(options.db);
  mkdirSync(dirname(db), { recursive: true });
  const store = RunStore.open(db);
  const training = new TrainingService({ store, maxConcurrentRuns: 1 });
  const view = new ProgressView(config, options.json === true);
  const startedAt = Date.now();

  const run = training.start(config);
  const unsubscribe = training.onUpdate((update) => {
    if (update.type === 'metrics' && update.runId === run.id) view.metrics(update.points);
    if (update.type === 'progress' && update.progress.runId === run.id) view.progress(update.progress.step, update.progress.stepsPerSecond);
  });

  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    process.stderr.write('\nstopping after the current step...\n');
    training.stop(run.id);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const finished = await training.waitForRun(run.id);
    view.stop();
    const verdicts = verdictsFromEvents(store.getEvents(run.id));
    const summary = summarize(finished, store, verdicts, Date.now() - startedAt, db);

    if (options.json) process.stdout.write(JSON.stringify(summary) + '\n');
    else printHumanSummary(summary, finished, store, verdicts);

    if (finished.status === 'completed') return 0;
    return interrupted ? EXIT_INTERRUPTED : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    unsubscribe();
    await training.close();
    store.close();
  }
}
