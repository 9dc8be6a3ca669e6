// The contract between the preload and the main process: one IPC channel per API method,
// and results wrapped in an envelope. The envelope is needed because contextBridge copies
// only the message of a thrown Error, so an error's code and config issues would be lost.
// Pure TypeScript: the main process, the preload and the renderer all import it.
import type { ApiErrorPayload, LiveUpdate, RunsApi, TrainingApi, WorkbenchApi } from './api';

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiErrorPayload };

/** An API domain with each method's promise wrapped in an ApiResult. */
export type Bridged<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => Promise<ApiResult<R>> : never;
};

export type ApiDomain = Exclude<keyof WorkbenchApi, 'onUpdate'>;

/** The `window.workbench` object that the preload exposes. */
export interface WorkbenchBridge {
  runs: Bridged<RunsApi>;
  training: Bridged<TrainingApi>;
  datasets: Bridged<WorkbenchApi['datasets']>;
  system: Bridged<WorkbenchApi['system']>;
  /** Subscribes to live updates; returns the function that unsubscribes. */
  onUpdate(listener: (update: LiveUpdate) => void): () => void;
}

// Each table is a Record over the interface's keys, so TypeScript rejects a missing or
// misspelt method.
const RUNS_METHODS: Record<keyof RunsApi, true> = {
  list: true,
  get: true,
  metrics: true,
  samples: true,
  sampleImage: true,
  events: true,
  rename: true,
  setTags: true,
  delete: true,
};
const TRAINING_METHODS: Record<keyof TrainingApi, true> = {
  validate: true,
  start: true,
  stop: true,
  pause: true,
  resume: true,
  active: true,
};
const DATASETS_METHODS: Record<keyof WorkbenchApi['datasets'], true> = { list: true, chooseFile: true };
const SYSTEM_METHODS: Record<keyof WorkbenchApi['system'], true> = { info: true };

export const API_METHODS: { [D in ApiDomain]: string[] } = {
  runs: Object.keys(RUNS_METHODS),
  training: Object.keys(TRAINING_METHODS),
  datasets: Object.keys(DATASETS_METHODS),
  system: Object.keys(SYSTEM_METHODS),
};

/** The IPC channel of one API method, e.g. `workbench:runs:list`. */
export function channelFor(domain: ApiDomain, method: string): string {
  return `workbench:${domain}:${method}`;
}

/** The one channel on which the main process sends LiveUpdate messages to the window. */
export const UPDATE_CHANNEL = 'workbench:update';
