// The typed API the renderer calls. The preload implements it over IPC, the browser-mode
// client over HTTP and a WebSocket; the main side implements it with its services.
import type { BackendChoice, BackendName, ConfigIssue, DatasetKind, RunConfig, RunConfigInput } from './config';
import type { MetricPoint, RunEvent, RunRecord, RunStatus, SampleRecord } from './run';

export interface RunFilter {
  status?: RunStatus;
  datasetKind?: DatasetKind;
  loss?: string;
  search?: string;
}

export interface DatasetOption {
  kind: DatasetKind;
  label: string;
  available: boolean;
  /** The reason the dataset cannot be used and how to get it, when `available` is false. */
  hint: string | null;
}

export const IDX_FILE_PURPOSES = ['images', 'labels'] as const;
export type IdxFilePurpose = (typeof IDX_FILE_PURPOSES)[number];

export interface BackendStatus {
  name: BackendName;
  available: boolean;
  gpu: boolean;
  reason: string | null;
}

export interface SystemInfo {
  version: string;
  dbPath: string;
  /** 'electron' in the desktop window, 'browser' in browser mode. */
  shell: 'electron' | 'browser';
  backends: BackendStatus[];
  defaultBackend: BackendChoice;
}

export interface ValidationResult {
  ok: boolean;
  issues: ConfigIssue[];
  config: RunConfig | null;
}

export interface ActiveRun {
  runId: number;
  step: number;
  totalSteps: number;
  stepsPerSecond: number;
  paused: boolean;
}

export type LiveUpdate =
  | { type: 'run'; run: RunRecord }
  | { type: 'progress'; progress: ActiveRun }
  | { type: 'metrics'; runId: number; points: MetricPoint[] }
  | { type: 'sample'; runId: number; sample: SampleRecord }
  | { type: 'event'; runId: number; event: RunEvent }
  | { type: 'run-deleted'; runId: number };

export interface RunsApi {
  list(filter?: RunFilter): Promise<RunRecord[]>;
  get(runId: number): Promise<RunRecord>;
  metrics(runId: number, options?: { names?: string[]; sinceStep?: number }): Promise<MetricPoint[]>;
  samples(runId: number): Promise<SampleRecord[]>;
  /** The sample's PNG as a `data:image/png;base64,...` URL. */
  sampleImage(sampleId: number): Promise<string>;
  events(runId: number): Promise<RunEvent[]>;
  rename(runId: number, name: string): Promise<RunRecord>;
  setTags(runId: number, tags: string[]): Promise<RunRecord>;
  delete(runId: number): Promise<void>;
}

export interface TrainingApi {
  validate(config: RunConfigInput): Promise<ValidationResult>;
  /** Starts one run per seed (the config's own seed when `seeds` is absent). */
  start(config: RunConfigInput, options?: { seeds?: number[] }): Promise<{ runIds: number[] }>;
  stop(runId: number): Promise<void>;
  pause(runId: number): Promise<void>;
  resume(runId: number): Promise<void>;
  active(): Promise<ActiveRun[]>;
}

export interface WorkbenchApi {
  runs: RunsApi;
  training: TrainingApi;
  datasets: {
    list(): Promise<DatasetOption[]>;
    /** Opens a file dialog for an IDX file and returns the chosen path, or null when the user
     * cancelled. Only the desktop app has dialogs: in browser mode it returns null at once,
     * and the path is typed instead (SystemInfo.shell shows which shell is running). */
    chooseFile(purpose: IdxFilePurpose): Promise<string | null>;
  };
  system: { info(): Promise<SystemInfo> };
  /** Subscribes to live updates; returns the function that unsubscribes. */
  onUpdate(listener: (update: LiveUpdate) => void): () => void;
}

/** An error as it crosses the process or network boundary. */
export interface ApiErrorPayload {
  code: 'invalid-input' | 'not-found' | 'conflict' | 'internal';
  message: string;
  issues?: ConfigIssue[];
}
