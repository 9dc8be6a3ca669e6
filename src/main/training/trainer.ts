// The training loop of one run. Runs in a worker thread in the app and the CLI, and in-process
// in tests; it talks to its host only through the callbacks below.
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../../shared/config';
import type { BackendInfo, DatasetIdentity, EventKind, MetricPoint, SampleKind } from '../../shared/run';
import type { FinishedStatus } from '../../shared/worker-messages';
import { loadDataset, type LoadedDataset } from '../data/dataset';
import { encodeImageGrid, renderScatterPng } from '../data/sample-images';
import { selectBackend } from './backend';
import { GanStep, type StepStatistics } from './gan-step';
import { preflightWarnings } from './preflight';
import { VerdictTracker } from './verdict-tracker';
import { createEvaluator, type Evaluator } from './evaluator';

/** Images in one sample grid (8 × 8). */
const GRID_IMAGES = 64;
/** Generated and real points in one 2-D snapshot. */
const SNAPSHOT_POINTS = 1000;
/** Shortest interval between two progress messages, so the host is not flooded on fast runs. */
const PROGRESS_INTERVAL_MS = 250;

export interface TrainerHost {
  started(backend: BackendInfo, dataset: DatasetIdentity): void;
  progress(step: number, stepsPerSecond: number, paused: boolean): void;
  metrics(points: MetricPoint[]): void;
  sample(step: number, kind: SampleKind, png: Uint8Array, points?: { generated: [number, number][]; real: [number, number][] }): void;
  event(step: number, kind: EventKind, message: string, data?: Record<string, unknown>): void;
  /** True once the host asked the run to stop; checked between steps. */
  stopRequested(): boolean;
  /** Resolves when the run may go on: at once unless the host paused it. */
  whenResumed(): Promise<void>;
}

export interface TrainerResult {
  status: FinishedStatus;
  step: number;
  durationMs: number;
  error: string | null;
  /** tf.memory().numTensors after the run's models were disposed. */
  tensorCount: number;
}

/** Gives the event loop a turn, so that stop and pause messages reach the worker mid-run. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Returns the name of the first non-finite statistic, or null when all are finite. */
function firstNonFinite(stats: StepStatistics): string | null {
  // Losses first: they are the terms a user reads first, and a NaN there explains the rest.
  const order = ['lossD', 'lossG', 'gradientPenalty', 'gradNormD', 'gradNormG', ...Object.keys(stats)];
  for (const name of order) {
    if (name in stats && !Number.isFinite(stats[name])) return name;
  }
  return null;
}

function toPairs(values: Float32Array, count: number): [number, number][] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < count; i++) pairs.push([values[2 * i], values[2 * i + 1]]);
  return pairs;
}

class SampleSnapshots {
  private readonly fixedZ: tf.Tensor2D;
  private readonly realPoints: [number, number][] | null;

  constructor(
    private readonly gan: GanStep,
    private readonly dataset: LoadedDataset,
    private readonly host: TrainerHost,
  ) {
    const count = dataset.kind === 'images' ? GRID_IMAGES : SNAPSHOT_POINTS;
    this.fixedZ = gan.fixedLatent(count);
    this.realPoints = dataset.kind === 'points' ? toPairs(dataset.realBatch(SNAPSHOT_POINTS), SNAPSHOT_POINTS) : null;
  }

  take(step: number): void {
    this.send(step, this.gan.generate(this.fixedZ), false);
    // The EMA generator's sample from the same latent batch, beside G's.
    if (this.gan.emaGenerator) this.send(step, this.gan.emaGenerator.generate(this.fixedZ), true);
  }

  private send(step: number, generated: Float32Array, ema: boolean): void {
    if (this.dataset.kind === 'images') {
      const [height, width] = this.dataset.shape;
      this.host.sample(step, ema ? 'image-grid-ema' : 'image-grid', encodeImageGrid(generated, GRID_IMAGES, height, width));
      return;
    }

    const points = toPairs(generated, SNAPSHOT_POINTS);
    const real = this.realPoints ?? [];
    this.host.sample(step, ema ? 'points-ema' : 'points', renderScatterPng(points, real), { generated: points, real });
  }

  dispose(): void {
    this.fixedZ.dispose();
  }
}

/** Trains one run to the end, a stop request or a failure, and reports through `host`. */
export async function train(config: RunConfig, host: TrainerHost): Promise<TrainerResult> {
  const startedAt = Date.now();
  let step = 0;
  let gan: GanStep | null = null;
  let snapshots: SampleSnapshots | null = null;
  let evaluator: Evaluator | null = null;
  const finish = (status: FinishedStatus, error: string | null): TrainerResult => {
    evaluator?.summarize(step, Date.now() - startedAt);
    evaluator?.dispose();
    snapshots?.dispose();
    gan?.dispose();
    return { status, step, durationMs: Date.now() - startedAt, error, tensorCount: tf.memory().numTensors };
  };

  try {
    const backend = await selectBackend(config.backend);
    const dataset = await loadDataset(config.dataset, config.seed);
    host.started(backend, dataset.identity);
    // One balance verdict per logged step, logged as the `verdictCode` series beside the statistics.
    const verdicts = new VerdictTracker(config, (at, kind, message, data) => host.event(at, kind, message, data));

    gan = new GanStep(config, dataset.shape);
    for (const warning of preflightWarnings(config, dataset, gan.discriminator)) host.event(0, 'warning', warning);
    snapshots = new SampleSnapshots(gan, dataset, host);
    snapshots.take(0);
    evaluator = await createEvaluator(config, dataset, gan, host, { verdicts });

    let lastProgressAt = 0;
    let windowStart = { time: Date.now(), step: 0 };
    let stepsPerSecond = 0;
    const source = (batchSize: number) => dataset.sampleBatch(batchSize);

    while (step < config.steps) {
      if (host.stopRequested()) return finish('stopped', null);
      await host.whenResumed();
      if (host.stopRequested()) return finish('stopped', null);

      const next = step + 1;
      const isLogStep = next % config.logEvery === 0 || next === config.steps;
      const stats = gan.run(next, source, isLogStep);
      step = next;

      const isEvalStep = evaluator !== null && (step % config.evalEvery === 0 || step === config.steps);
      let evaluated = false;
      if (stats) {
        const bad = firstNonFinite(stats);
        // Evaluate before the verdict is judged, so that a collapse alarm raised or cleared at
        // this step shows in this step's verdict and a run's last verdict reflects its last evaluation.
        if (isEvalStep && !bad) {
          evaluator?.evaluate(step);
          evaluated = true;
        }
        host.metrics([...Object.entries(stats).map(([name, value]) => ({ step, name, value })), verdicts.observe(step, stats)]);
        if (bad) {
          const message = `${bad} became ${stats[bad]} at step ${step}; the run was stopped. Lower the learning rates or add a gradient penalty.`;
          host.event(step, 'error', message);
          return finish('failed', message);
        }
      }

      for (const change of gan.takeControllerChanges()) host.event(step, 'controller', change.message, change.data);
      if (step % config.sampleEvery === 0 || step === config.steps) snapshots.take(step);
      if (isEvalStep && !evaluated) evaluator?.evaluate(step);

      const now = Date.now();
      if (now - windowStart.time >= 1000) {
        stepsPerSecond = ((step - windowStart.step) * 1000) / (now - windowStart.time);
        windowStart = { time: now, step };
      }
      if (now - lastProgressAt >= PROGRESS_INTERVAL_MS || step === config.steps) {
        if (stepsPerSecond === 0) stepsPerSecond = (step * 1000) / Math.max(1, now - startedAt);
        host.progress(step, stepsPerSecond, false);
        lastProgressAt = now;
        await yieldToEventLoop();
      }
    }

    return finish('completed', null);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    host.event(step, 'error', message);
    return finish('failed', message);
  }
}
