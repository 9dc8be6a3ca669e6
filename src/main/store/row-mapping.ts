// Rows as better-sqlite3 returns them, and their conversion to the records of src/shared/run.ts.
import type { RunConfig } from '../../shared/config';
import type {
  BackendInfo,
  DatasetIdentity,
  EventKind,
  MetricPoint,
  RunEvent,
  RunRecord,
  RunStatus,
  SampleKind,
  SampleRecord,
} from '../../shared/run';

export interface RunRow {
  id: number;
  experiment_id: number;
  experiment: string;
  name: string;
  config_json: string;
  status: RunStatus;
  backend_json: string | null;
  dataset_json: string | null;
  step: number;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  error: string | null;
  tags_json: string;
}

/** Columns every run query selects; `experiment` comes from the joined experiments table. */
export const RUN_COLUMNS = `
  runs.id, runs.experiment_id, experiments.name AS experiment, runs.name, runs.config_json,
  runs.status, runs.backend_json, runs.dataset_json, runs.step, runs.created_at,
  runs.started_at, runs.ended_at, runs.error, runs.tags_json`;

export const RUNS_WITH_EXPERIMENT = 'runs JOIN experiments ON experiments.id = runs.experiment_id';

export function toRunRecord(row: RunRow): RunRecord {
  return {
    id: row.id,
    experimentId: row.experiment_id,
    experiment: row.experiment,
    name: row.name,
    status: row.status,
    config: JSON.parse(row.config_json) as RunConfig,
    backend: row.backend_json === null ? null : (JSON.parse(row.backend_json) as BackendInfo),
    dataset: row.dataset_json === null ? null : (JSON.parse(row.dataset_json) as DatasetIdentity),
    step: row.step,
    createdAt: row.created_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    error: row.error,
    tags: JSON.parse(row.tags_json) as string[],
  };
}

export interface MetricRow {
  step: number;
  name: string;
  /** NULL stands for NaN, which SQLite cannot store as a REAL. */
  value: number | null;
}

export function toMetricPoint(row: MetricRow): MetricPoint {
  return { step: row.step, name: row.name, value: row.value ?? Number.NaN };
}

export interface SampleRow {
  id: number;
  run_id: number;
  step: number;
  kind: SampleKind;
  file: string | null;
  data: Buffer | null;
  created_at: string;
}

/** `resolveFile` turns the stored relative PNG path into an absolute one. */
export function toSampleRecord(row: SampleRow, resolveFile: (relativeFile: string) => string): SampleRecord {
  const record: SampleRecord = {
    id: row.id,
    runId: row.run_id,
    step: row.step,
    kind: row.kind,
    file: row.file === null ? null : resolveFile(row.file),
    createdAt: row.created_at,
  };
  if (row.data !== null) record.points = JSON.parse(row.data.toString('utf8')) as SampleRecord['points'];
  return record;
}

export interface EventRow {
  id: number;
  run_id: number;
  step: number;
  kind: EventKind;
  message: string;
  data: string | null;
  created_at: string;
}

export function toRunEvent(row: EventRow): RunEvent {
  return {
    id: row.id,
    runId: row.run_id,
    step: row.step,
    kind: row.kind,
    message: row.message,
    data: row.data === null ? null : (JSON.parse(row.data) as Record<string, unknown>),
    createdAt: row.created_at,
  };
}
