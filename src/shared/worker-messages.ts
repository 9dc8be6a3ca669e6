// Every message between the training service (main thread) and a training worker.
// One discriminated union per direction, keyed by `type`.
import type { BackendInfo, DatasetIdentity, EventKind, MetricPoint, SampleKind } from './run';
import type { RunConfig } from './config';

export type ToWorkerMessage =
  | { type: 'start'; runId: number; config: RunConfig }
  | { type: 'stop'; runId: number }
  | { type: 'pause'; runId: number }
  | { type: 'resume'; runId: number }
  /** Ends the worker after the current run, if any, has stopped. */
  | { type: 'shutdown' };

export type FinishedStatus = 'completed' | 'failed' | 'stopped';

export type FromWorkerMessage =
  | { type: 'started'; runId: number; backend: BackendInfo; dataset: DatasetIdentity }
  | { type: 'progress'; runId: number; step: number; totalSteps: number; stepsPerSecond: number; paused: boolean }
  | { type: 'metrics'; runId: number; points: MetricPoint[] }
  | {
      type: 'sample';
      runId: number;
      step: number;
      kind: SampleKind;
      /** PNG bytes: the image grid, or a scatter plot of generated against real points. */
      png: Uint8Array;
      points?: { generated: [number, number][]; real: [number, number][] };
    }
  | { type: 'event'; runId: number; step: number; kind: EventKind; message: string; data?: Record<string, unknown> }
  | { type: 'finished'; runId: number; status: FinishedStatus; step: number; durationMs: number; error: string | null; tensorCount: number };
