// An in-memory WorkbenchApi for renderer store and component tests. The real API needs the
// main process or the browser-mode server, which unit tests do not start. Config validation
// here uses the real shared schema, so its issues are the ones the app shows.
import type { ActiveRun, DatasetOption, LiveUpdate, SystemInfo, WorkbenchApi } from '../../src/shared/api';
import { parseRunConfig, type RunConfigInput } from '../../src/shared/config';
import type { MetricPoint, RunEvent, RunRecord, SampleRecord } from '../../src/shared/run';

export interface FakeApi extends WorkbenchApi {
  runsById: Map<number, RunRecord>;
  metricsById: Map<number, MetricPoint[]>;
  samplesById: Map<number, SampleRecord[]>;
  eventsById: Map<number, RunEvent[]>;
  activeRuns: ActiveRun[];
  datasetOptions: DatasetOption[];
  /** 'electron' makes the fake behave like the desktop app, which has file dialogs. */
  shell: 'browser' | 'electron';
  /** What the fake file dialog returns; null stands for a cancelled dialog. */
  chosenFile: string | null;
  started: { config: RunConfigInput; seeds?: number[] }[];
  controls: { action: 'stop' | 'pause' | 'resume'; runId: number }[];
  validateCalls: number;
  listenerCount(): number;
  emit(update: LiveUpdate): void;
}

export function makeRun(id: number, overrides: Partial<RunRecord> = {}): RunRecord {
  const parsed = parseRunConfig({ steps: 500 });
  if (!parsed.ok) throw new Error('default config must parse');
  return {
    id,
    experimentId: 1,
    experiment: 'default',
    name: `run-${id}`,
    status: 'completed',
    config: parsed.config,
    backend: { name: 'wasm', gpu: false, unavailable: [] },
    dataset: null,
    step: 500,
    createdAt: `2025-01-0${id}T10:00:00.000Z`,
    startedAt: `2025-01-0${id}T10:00:01.000Z`,
    endedAt: `2025-01-0${id}T10:01:01.000Z`,
    error: null,
    tags: [],
    ...overrides,
  };
}

export function createFakeApi(): FakeApi {
  const listeners = new Set<(update: LiveUpdate) => void>();
  let nextRunId = 100;

  const api: FakeApi = {
    runsById: new Map(),
    metricsById: new Map(),
    samplesById: new Map(),
    eventsById: new Map(),
    activeRuns: [],
    shell: 'browser',
    chosenFile: null,
    datasetOptions: [
      { kind: 'ring8', label: 'Ring of 8 Gaussians', available: true, hint: null },
      { kind: 'grid25', label: 'Grid of 25 Gaussians', available: true, hint: null },
      { kind: 'fashion-mnist', label: 'Fashion-MNIST', available: false, hint: 'Install it with: apt install dataset-fashion-mnist' },
      { kind: 'idx', label: 'IDX file', available: true, hint: null },
    ],
    started: [],
    controls: [],
    validateCalls: 0,

    runs: {
      list: async () => [...api.runsById.values()],
      get: async (runId) => {
        const run = api.runsById.get(runId);
        if (!run) throw new Error(`Run ${runId} not found.`);
        return run;
      },
      metrics: async (runId) => api.metricsById.get(runId) ?? [],
      samples: async (runId) => api.samplesById.get(runId) ?? [],
      sampleImage: async (sampleId) => `data:image/png;base64,sample-${sampleId}`,
      events: async (runId) => api.eventsById.get(runId) ?? [],
      rename: async (runId, name) => {
        const run = { ...(await api.runs.get(runId)), name };
        api.runsById.set(runId, run);
        return run;
      },
      setTags: async (runId, tags) => {
        const run = { ...(await api.runs.get(runId)), tags };
        api.runsById.set(runId, run);
        return run;
      },
      delete: async (runId) => {
        api.runsById.delete(runId);
      },
    },
    training: {
      validate: async (config) => {
        api.validateCalls += 1;
        const result = parseRunConfig(config);
        return result.ok ? { ok: true, issues: [], config: result.config } : { ok: false, issues: result.issues, config: null };
      },
      start: async (config, options) => {
        api.started.push({ config, seeds: options?.seeds });
        const count = options?.seeds?.length ?? 1;
        const runIds = Array.from({ length: count }, () => nextRunId++);
        for (const id of runIds) api.runsById.set(id, makeRun(id, { status: 'queued', step: 0, startedAt: null, endedAt: null }));
        return { runIds };
      },
      stop: async (runId) => void api.controls.push({ action: 'stop', runId }),
      pause: async (runId) => void api.controls.push({ action: 'pause', runId }),
      resume: async (runId) => void api.controls.push({ action: 'resume', runId }),
      active: async () => api.activeRuns,
    },
    // Browser mode has no file dialog and returns null, as the real browser-mode API does.
    datasets: { list: async () => api.datasetOptions, chooseFile: async () => (api.shell === 'electron' ? api.chosenFile : null) },
    system: {
      info: async (): Promise<SystemInfo> => ({
        version: '0.1.0',
        dbPath: '/tmp/fake.db',
        shell: api.shell,
        backends: [
          { name: 'tensorflow-gpu', available: false, gpu: false, reason: 'package not installed' },
          { name: 'tensorflow', available: false, gpu: false, reason: 'package not installed' },
          { name: 'wasm', available: true, gpu: false, reason: null },
          { name: 'cpu', available: true, gpu: false, reason: null },
        ],
        defaultBackend: 'auto',
      }),
    },
    onUpdate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    listenerCount: () => listeners.size,
    emit(update) {
      for (const listener of [...listeners]) listener(update);
    },
  };
  return api;
}
