// Owns the training workers and is the only writer of run progress to SQLite. The CLI, the
// browser-mode server and the Electron window all start and watch runs through this service.
import { Worker } from 'node:worker_threads';
import type { ActiveRun, LiveUpdate } from '../../shared/api';
import type { RunConfig } from '../../shared/config';
import type { EventKind, RunRecord } from '../../shared/run';
import type { FromWorkerMessage, ToWorkerMessage } from '../../shared/worker-messages';
import { createLogger } from '../logger';
import type { RunStore } from '../store/run-store';
import { MetricWriteBuffer } from './metric-write-buffer';

const log = createLogger('training-service');

export interface TrainingServiceOptions {
  store: RunStore;
  /** Runs trained at once; the rest wait in a queue. Each run keeps one CPU core busy. */
  maxConcurrentRuns?: number;
}

interface Slot {
  worker: Worker;
  runId: number | null;
}

interface RunState {
  config: RunConfig;
  progress: ActiveRun;
  slot: Slot | null;
  stopRequested: boolean;
  done: Promise<RunRecord>;
  resolveDone: (run: RunRecord) => void;
}

/** Starts a worker on the bundled entry in the built app, or on the TypeScript source through
 * a small bootstrap that registers tsx (see worker-from-source.mjs). */
function createTrainingWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./training-worker.js', import.meta.url));
  }
  const entry = new URL('./worker.ts', import.meta.url).href;
  return new Worker(new URL('./worker-from-source.mjs', import.meta.url), { workerData: { entry } });
}

export class TrainingService {
  private readonly store: RunStore;
  private readonly maxConcurrentRuns: number;
  private readonly slots: Slot[] = [];
  private readonly runs = new Map<number, RunState>();
  private readonly queue: number[] = [];
  private readonly listeners = new Set<(update: LiveUpdate) => void>();
  private readonly metricBuffer: MetricWriteBuffer;
  private closed = false;

  constructor(options: TrainingServiceOptions) {
    this.store = options.store;
    this.maxConcurrentRuns = Math.max(1, options.maxConcurrentRuns ?? 2);
    this.metricBuffer = new MetricWriteBuffer(this.store);
  }

  /** Creates the run (status `queued`) and trains it as soon as a worker is free. */
  start(config: RunConfig): RunRecord {
    if (this.closed) throw new Error('the training service is closed; no new runs can start');

    const run = this.store.createRun(config);
    let resolveDone: (run: RunRecord) => void = () => undefined;
    const done = new Promise<RunRecord>((resolve) => {
      resolveDone = resolve;
    });
    this.runs.set(run.id, {
      config,
      progress: { runId: run.id, step: 0, totalSteps: config.steps, stepsPerSecond: 0, paused: false },
      slot: null,
      stopRequested: false,
      done,
      resolveDone,
    });
    this.queue.push(run.id);
    log.info({ runId: run.id, name: run.name }, 'run queued');
    this.emit({ type: 'run', run });
    this.dispatch();
    return run;
  }

  stop(runId: number): void {
    const state = this.requireActive(runId);
    state.stopRequested = true;

    if (!state.slot) {
      // Still queued: it never started, so it ends here.
      this.queue.splice(this.queue.indexOf(runId), 1);
      this.finish(runId, 'stopped', null, 0);
      return;
    }
    this.send(state.slot, { type: 'stop', runId });
  }

  pause(runId: number): void {
    const state = this.requireActive(runId);
    if (state.slot) this.send(state.slot, { type: 'pause', runId });
    state.progress = { ...state.progress, paused: true, stepsPerSecond: 0 };
    this.emit({ type: 'progress', progress: state.progress });
  }

  resume(runId: number): void {
    const state = this.requireActive(runId);
    if (state.slot) this.send(state.slot, { type: 'resume', runId });
    state.progress = { ...state.progress, paused: false };
    this.emit({ type: 'progress', progress: state.progress });
  }

  active(): ActiveRun[] {
    return [...this.runs.values()].map((state) => state.progress);
  }

  onUpdate(listener: (update: LiveUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the stored run once it has finished; at once if it is not active. */
  waitForRun(runId: number): Promise<RunRecord> {
    const state = this.runs.get(runId);
    return state ? state.done : Promise.resolve(this.store.getRun(runId));
  }

  /** Stops every active run (when `stopRuns`, the default), waits for them, and ends the workers. */
  async close(options: { stopRuns?: boolean } = {}): Promise<void> {
    this.closed = true;
    const pending = [...this.runs.keys()];
    if (options.stopRuns ?? true) {
      for (const runId of pending) this.stop(runId);
    }
    await Promise.all(pending.map((runId) => this.waitForRun(runId)));
    this.metricBuffer.flush();
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
    this.slots.length = 0;
  }

  private requireActive(runId: number): RunState {
    const state = this.runs.get(runId);
    if (state) return state;

    const run = this.store.getRun(runId);
    throw new Error(`run ${runId} is not active (its status is ${run.status}); only queued or running runs can be stopped, paused or resumed`);
  }

  private emit(update: LiveUpdate): void {
    for (const listener of this.listeners) {
      try {
        listener(update);
      } catch (error) {
        log.error({ err: error }, 'live-update listener failed');
      }
    }
  }

  private send(slot: Slot, message: ToWorkerMessage): void {
    slot.worker.postMessage(message);
  }

  /** Starts queued runs on free workers, creating workers up to the limit and reusing them after. */
  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((candidate) => candidate.runId === null);
      if (!slot && this.slots.length < this.maxConcurrentRuns) slot = this.createSlot();
      if (!slot) return;

      const runId = this.queue.shift()!;
      const state = this.runs.get(runId)!;
      slot.runId = runId;
      state.slot = slot;
      this.send(slot, { type: 'start', runId, config: state.config });
    }
  }

  private createSlot(): Slot {
    const worker = createTrainingWorker();
    const slot: Slot = { worker, runId: null };
    worker.on('message', (message: FromWorkerMessage) => this.handle(slot, message));
    worker.on('error', (error) => this.handleWorkerExit(slot, `the training worker crashed: ${error.message}`));
    worker.on('exit', (code) => {
      if (!this.closed) this.handleWorkerExit(slot, `the training worker exited with code ${code}`);
    });
    this.slots.push(slot);
    return slot;
  }

  private handleWorkerExit(slot: Slot, reason: string): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    log.error({ runId: slot.runId, reason }, 'training worker ended');

    if (slot.runId !== null && this.runs.has(slot.runId)) {
      const runId = slot.runId;
      slot.runId = null;
      this.finish(runId, 'failed', reason, this.runs.get(runId)!.progress.step);
    }
    if (!this.closed) this.dispatch();
  }

  private handle(slot: Slot, message: FromWorkerMessage): void {
    const state = this.runs.get(message.runId);
    if (!state) return;

    switch (message.type) {
      case 'started': {
        this.store.markRunning(message.runId, message.backend, message.dataset);
        const skipped = message.backend.unavailable.map((entry) => `${entry.name}: ${entry.reason}`).join('; ');
        const backendText = `trains on the ${message.backend.name} backend${message.backend.gpu ? ' (GPU)' : ' (no GPU)'}`;
        this.addEvent(message.runId, 0, 'backend', skipped ? `${backendText}; not used: ${skipped}` : backendText);
        this.emit({ type: 'run', run: this.store.getRun(message.runId) });
        return;
      }
      case 'progress':
        state.progress = { ...state.progress, step: message.step, stepsPerSecond: message.stepsPerSecond, totalSteps: message.totalSteps };
        this.store.updateStep(message.runId, message.step);
        this.emit({ type: 'progress', progress: state.progress });
        return;
      case 'metrics':
        this.metricBuffer.add(message.runId, message.points);
        this.emit({ type: 'metrics', runId: message.runId, points: message.points });
        return;
      case 'sample': {
        const sample = this.store.addSample(message.runId, message.step, message.kind, message.png, message.points);
        this.emit({ type: 'sample', runId: message.runId, sample });
        return;
      }
      case 'event':
        this.addEvent(message.runId, message.step, message.kind, message.message, message.data ?? null);
        return;
      case 'finished': {
        slot.runId = null;
        log.info({ runId: message.runId, status: message.status, step: message.step, durationMs: message.durationMs }, 'run finished');
        this.finish(message.runId, message.status, message.error, message.step);
        if (!this.closed) this.dispatch();
        return;
      }
    }
  }

  private addEvent(runId: number, step: number, kind: EventKind, message: string, data: Record<string, unknown> | null = null): void {
    const event = this.store.addEvent(runId, step, kind, message, data);
    this.emit({ type: 'event', runId, event });
  }

  private finish(runId: number, status: 'completed' | 'failed' | 'stopped', error: string | null, step: number): void {
    const state = this.runs.get(runId);
    if (!state) return;

    this.metricBuffer.flush(runId);
    const run = this.store.finishRun(runId, status, error, step);
    this.runs.delete(runId);
    state.resolveDone(run);
    this.emit({ type: 'run', run });
  }
}
