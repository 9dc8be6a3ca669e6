// Records the run store keeps and the API returns. Pure types: no Node or Electron imports.
import type { BackendName, RunConfig } from './config';

export const RUN_STATUSES = ['queued', 'running', 'completed', 'failed', 'stopped', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Statuses a run can no longer leave. */
export const FINAL_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'stopped', 'interrupted'];

/** The compute backend a run used, and the reasons the better ones were not used. */
export interface BackendInfo {
  name: BackendName;
  /** True only when TensorFlow reports that it placed work on a GPU. */
  gpu: boolean;
  /** One entry per better backend that was tried or skipped, with the reason. */
  unavailable: { name: BackendName; reason: string }[];
}

/** The identity of the data a run trained on, so that runs on the same data can be matched. */
export interface DatasetIdentity {
  name: string;
  /** Image file path for file-based datasets; null for the built-in mixtures. */
  path: string | null;
  labelsPath: string | null;
  items: number;
  /** Shape of one item, e.g. [2] or [28, 28, 1]. */
  shape: number[];
  /** SHA-256 of the decoded pixels and labels; for the built-in mixtures, of their parameters and centres. */
  contentHash: string;
  /** Mode centres of a known mixture, for the mode-coverage indicators. */
  centres?: [number, number][];
  /** Standard deviation of each mixture component. */
  std?: number;
  /** Number of distinct labels, when the dataset has labels. */
  classes?: number;
}

export interface RunRecord {
  id: number;
  experimentId: number;
  experiment: string;
  name: string;
  status: RunStatus;
  config: RunConfig;
  backend: BackendInfo | null;
  dataset: DatasetIdentity | null;
  /** Last step finished so far. */
  step: number;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  error: string | null;
  tags: string[];
}

export interface MetricPoint {
  step: number;
  name: string;
  value: number;
}

/** `image-grid-ema` and `points-ema` come from the EMA generator, taken beside G's own sample. */
export const SAMPLE_KINDS = ['image-grid', 'points', 'image-grid-ema', 'points-ema'] as const;
export type SampleKind = (typeof SAMPLE_KINDS)[number];

export interface SampleRecord {
  id: number;
  runId: number;
  step: number;
  kind: SampleKind;
  /** PNG file beside the database (absolute path), when the sample has one. */
  file: string | null;
  /** For `points` and `points-ema`: generated and real 2-D points. */
  points?: { generated: [number, number][]; real: [number, number][] };
  createdAt: string;
}

/** `verdict`: the balance verdict changed; `controller`: an adaptive controller changed a knob;
 * `collapse`: a mode-collapse alarm. */
export const EVENT_KINDS = ['info', 'warning', 'error', 'backend', 'status', 'verdict', 'controller', 'collapse'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface RunEvent {
  id: number;
  runId: number;
  step: number;
  kind: EventKind;
  message: string;
  /** Structured details, e.g. a verdict's evidence and suggestions; null for plain messages. */
  data: Record<string, unknown> | null;
  createdAt: string;
}
