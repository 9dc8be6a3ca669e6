// Entry point of a training worker thread: trains one run at a time, on request of the
// training service, and reports back with FromWorkerMessage values only.
import { parentPort } from 'node:worker_threads';
import type { FromWorkerMessage, ToWorkerMessage } from '../../shared/worker-messages';
import { train, type TrainerHost } from './trainer';

if (!parentPort) throw new Error('worker.ts must run in a worker thread');
const port = parentPort;

interface ActiveRun {
  runId: number;
  totalSteps: number;
  stopRequested: boolean;
  resume: (() => void) | null;
  paused: Promise<void> | null;
}

let active: ActiveRun | null = null;
let shutdownRequested = false;

function post(message: FromWorkerMessage, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

function hostFor(run: ActiveRun): TrainerHost {
  const runId = run.runId;
  return {
    started: (backend, dataset) => post({ type: 'started', runId, backend, dataset }),
    progress: (step, stepsPerSecond, paused) => post({ type: 'progress', runId, step, totalSteps: run.totalSteps, stepsPerSecond, paused }),
    metrics: (points) => post({ type: 'metrics', runId, points }),
    sample: (step, kind, png, points) => {
      // Copy into a buffer of our own so it can be transferred instead of cloned.
      const bytes = new Uint8Array(png);
      post({ type: 'sample', runId, step, kind, png: bytes, points }, [bytes.buffer as ArrayBuffer]);
    },
    event: (step, kind, message, data) => post({ type: 'event', runId, step, kind, message, data }),
    stopRequested: () => run.stopRequested,
    whenResumed: () => run.paused ?? Promise.resolve(),
  };
}

function pause(run: ActiveRun): void {
  if (run.paused) return;
  run.paused = new Promise((resolve) => {
    run.resume = resolve;
  });
}

function resume(run: ActiveRun): void {
  run.resume?.();
  run.resume = null;
  run.paused = null;
}

async function startRun(message: Extract<ToWorkerMessage, { type: 'start' }>): Promise<void> {
  const run: ActiveRun = { runId: message.runId, totalSteps: message.config.steps, stopRequested: false, resume: null, paused: null };
  active = run;
  const result = await train(message.config, hostFor(run));
  active = null;
  post({ type: 'finished', runId: run.runId, ...result });
  if (shutdownRequested) port.close();
}

port.on('message', (message: ToWorkerMessage) => {
  switch (message.type) {
    case 'start':
      if (active) {
        post({ type: 'finished', runId: message.runId, status: 'failed', step: 0, durationMs: 0, error: `worker is busy with run ${active.runId}`, tensorCount: 0 });
        return;
      }
      void startRun(message);
      return;
    case 'stop':
      if (active?.runId === message.runId) {
        active.stopRequested = true;
        resume(active);
      }
      return;
    case 'pause':
      if (active?.runId === message.runId) pause(active);
      return;
    case 'resume':
      if (active?.runId === message.runId) resume(active);
      return;
    case 'shutdown':
      shutdownRequested = true;
      if (active) {
        active.stopRequested = true;
        resume(active);
      } else {
        port.close();
      }
      return;
  }
});
