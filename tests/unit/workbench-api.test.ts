import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiErrorPayload, LiveUpdate, WorkbenchApi } from '../../src/shared/api';
import { parseRunConfig, type RunConfig } from '../../src/shared/config';
import { invokeApiMethod } from '../../src/main/api/invoke-api-method';
import { createWorkbenchApi } from '../../src/main/api/workbench-api';
import { createLogger } from '../../src/main/logger';
import { RunStore } from '../../src/main/store/run-store';
import { TrainingService } from '../../src/main/training/training-service';

const log = createLogger('workbench-api-test');

// 1×1 transparent PNG (signature, IHDR, IDAT, IEND); only its bytes matter here.
const PNG_BYTES = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

function ring8Config(overrides: Record<string, unknown> = {}): RunConfig {
  const parsed = parseRunConfig({ dataset: { kind: 'ring8' }, steps: 20, ...overrides });
  if (!parsed.ok) throw new Error(`test config is invalid: ${JSON.stringify(parsed.issues)}`);
  return parsed.config;
}

let dir: string;
let store: RunStore;
let training: TrainingService;
let api: WorkbenchApi;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'workbench-api-'));
  store = RunStore.open(path.join(dir, 'workbench.db'));
  training = new TrainingService({ store, maxConcurrentRuns: 1 });
  api = createWorkbenchApi({
    store,
    training,
    dbPath: path.join(dir, 'workbench.db'),
    shell: 'browser',
    version: '9.9.9',
    probeBackends: async () => [{ name: 'cpu', available: true, gpu: false, reason: null }],
  });
});

afterEach(async () => {
  await training.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Calls through the same entry the IPC handlers and HTTP routes use, and returns the error payload. */
async function callError(domain: string, method: string, args: unknown): Promise<ApiErrorPayload> {
  const result = await invokeApiMethod(api, domain, method, args, log);
  if (result.ok) throw new Error(`${domain}.${method} succeeded with ${JSON.stringify(result.value)}; expected an error`);
  return result.error;
}

/** Creates a finished run in the store, as a real training would leave it. */
function completedRun(): number {
  const run = store.createRun(ring8Config());
  store.finishRun(run.id, 'completed', null, 20);
  return run.id;
}

describe('run id validation', () => {
  const badIds: [string, unknown][] = [
    ['zero', 0],
    ['negative', -3],
    ['fraction', 1.5],
    ['string', '1'],
    ['null', null],
    ['missing', undefined],
  ];

  for (const [label, value] of badIds) {
    it(`rejects a ${label} run id`, async () => {
      const error = await callError('runs', 'get', [value]);

      expect(error.code).toBe('invalid-input');
      expect(error.issues?.[0]?.field).toBe('runId');
      expect(error.message).toContain('runId');
    });
  }

  it('reports an unknown run as not-found', async () => {
    const error = await callError('runs', 'get', [999]);

    expect(error.code).toBe('not-found');
    expect(error.message).toContain('999');
  });

  it('names sampleId for a bad sample id', async () => {
    const error = await callError('runs', 'sampleImage', [-1]);

    expect(error.code).toBe('invalid-input');
    expect(error.issues?.[0]?.field).toBe('sampleId');
  });
});

describe('rename and tags validation', () => {
  it('rejects an empty name', async () => {
    const id = completedRun();
    const error = await callError('runs', 'rename', [id, '   ']);

    expect(error.code).toBe('invalid-input');
    expect(error.issues?.[0]?.field).toBe('name');
    expect(error.message).toContain('must not be empty');
  });

  it('rejects a 201-character name', async () => {
    const id = completedRun();
    const error = await callError('runs', 'rename', [id, 'x'.repeat(201)]);

    expect(error.code).toBe('invalid-input');
    expect(error.issues?.[0]?.field).toBe('name');
    expect(error.message).toContain('200');
  });

  it('rejects a non-string name', async () => {
    const error = await callError('runs', 'rename', [completedRun(), 42]);

    expect(error.issues?.[0]?.field).toBe('name');
    expect(error.issues?.[0]?.value).toBe(42);
  });

  it('renames a run, trims the name and emits the run', async () => {
    const id = completedRun();
    const updates: LiveUpdate[] = [];
    const unsubscribe = api.onUpdate((update) => updates.push(update));

    const run = await api.runs.rename(id, '  baseline  ');
    unsubscribe();

    expect(run.name).toBe('baseline');
    expect(updates).toEqual([{ type: 'run', run }]);
  });

  it('names the index of an empty tag', async () => {
    const error = await callError('runs', 'setTags', [completedRun(), ['ok', '']]);

    expect(error.code).toBe('invalid-input');
    expect(error.issues?.[0]?.field).toBe('tags.1');
  });

  it('rejects tags that are not an array', async () => {
    const error = await callError('runs', 'setTags', [completedRun(), 'baseline']);

    expect(error.issues?.[0]?.field).toBe('tags');
  });

  it('stores trimmed tags without repeats', async () => {
    const run = await api.runs.setTags(completedRun(), [' a ', 'b', 'a']);

    expect(run.tags).toEqual(['a', 'b']);
  });
});

describe('run filter validation', () => {
  it('rejects an unknown status', async () => {
    const error = await callError('runs', 'list', [{ status: 'finished' }]);

    expect(error.code).toBe('invalid-input');
    expect(error.issues?.[0]?.field).toBe('filter.status');
    expect(error.issues?.[0]?.value).toBe('finished');
  });

  it('rejects an unknown dataset kind', async () => {
    const error = await callError('runs', 'list', [{ datasetKind: 'cifar10' }]);

    expect(error.issues?.[0]?.field).toBe('filter.datasetKind');
  });

  it('rejects an unknown filter field', async () => {
    const error = await callError('runs', 'list', [{ statu: 'completed' }]);

    expect(error.code).toBe('invalid-input');
    expect(error.issues?.[0]?.field).toBe('filter');
    expect(error.message).toContain('statu');
  });

  it('filters by status', async () => {
    const completed = completedRun();
    store.createRun(ring8Config());

    const runs = await api.runs.list({ status: 'completed' });

    expect(runs.map((run) => run.id)).toEqual([completed]);
  });

  it('names options.sinceStep for a negative step', async () => {
    const error = await callError('runs', 'metrics', [completedRun(), { sinceStep: -1 }]);

    expect(error.issues?.[0]?.field).toBe('options.sinceStep');
  });
});

describe('training validation', () => {
  it('rejects an invalid config with one issue per field', async () => {
    const error = await callError('training', 'start', [{ steps: -1, optimizerD: { learningRate: 'fast' } }]);

    expect(error.code).toBe('invalid-input');
    const fields = error.issues?.map((issue) => issue.field).sort();
    expect(fields).toEqual(['optimizerD.learningRate', 'steps']);
    expect(store.listRuns()).toEqual([]);
  });

  it('validate returns issues without throwing', async () => {
    const result = await api.training.validate({ batchSize: 0 });

    expect(result.ok).toBe(false);
    expect(result.config).toBeNull();
    expect(result.issues.map((issue) => issue.field)).toEqual(['batchSize']);
  });

  it('validate fills defaults of a valid config', async () => {
    const result = await api.training.validate({ steps: 5 });

    expect(result.ok).toBe(true);
    expect(result.config?.steps).toBe(5);
    expect(result.config?.dataset.kind).toBe('ring8');
  });

  it('rejects repeated seeds', async () => {
    const error = await callError('training', 'start', [{ steps: 5 }, { seeds: [1, 1] }]);

    expect(error.code).toBe('invalid-input');
    expect(error.issues?.[0]?.field).toBe('options.seeds');
  });

  it('rejects a fractional seed', async () => {
    const error = await callError('training', 'start', [{ steps: 5 }, { seeds: [0.5] }]);

    expect(error.issues?.[0]?.field).toBe('options.seeds.0');
  });

  it('stopping a finished run is a conflict', async () => {
    const id = completedRun();
    const error = await callError('training', 'stop', [id]);

    expect(error.code).toBe('conflict');
    expect(error.message).toContain('completed');
  });

  it('pausing an unknown run is not-found', async () => {
    const error = await callError('training', 'pause', [4242]);

    expect(error.code).toBe('not-found');
  });
});

describe('method dispatch', () => {
  it('reports an unknown method as not-found', async () => {
    const error = await callError('runs', 'drop', []);

    expect(error.code).toBe('not-found');
    expect(error.message).toContain('runs.drop');
  });

  it('does not reach inherited properties', async () => {
    const error = await callError('runs', 'constructor', []);

    expect(error.code).toBe('not-found');
  });

  it('rejects arguments that are not an array', async () => {
    const error = await callError('runs', 'get', { runId: 1 });

    expect(error.code).toBe('invalid-input');
    expect(error.message).toContain('JSON array');
  });

  it('rejects extra arguments', async () => {
    const error = await callError('runs', 'get', [1, 2]);

    expect(error.code).toBe('invalid-input');
    expect(error.message).toContain('at most 1');
  });
});

describe('samples and deletion', () => {
  it('returns a sample image as a PNG data URL', async () => {
    const run = store.createRun(ring8Config());
    const sample = store.addSample(run.id, 10, 'points', PNG_BYTES, { generated: [[0, 0]], real: [[1, 1]] });

    const url = await api.runs.sampleImage(sample.id);

    expect(url).toBe(`data:image/png;base64,${PNG_BYTES.toString('base64')}`);
  });

  it('reports a sample without a file as not-found', async () => {
    const run = store.createRun(ring8Config());
    const sample = store.addSample(run.id, 10, 'points', null, { generated: [[0, 0]], real: [[1, 1]] });

    const error = await callError('runs', 'sampleImage', [sample.id]);

    expect(error.code).toBe('not-found');
    expect(error.message).toContain(`Sample ${sample.id}`);
  });

  it('reports a deleted image file as not-found', async () => {
    const run = store.createRun(ring8Config());
    const sample = store.addSample(run.id, 10, 'points', PNG_BYTES);
    rmSync(sample.file!);

    const error = await callError('runs', 'sampleImage', [sample.id]);

    expect(error.code).toBe('not-found');
    expect(error.message).toContain(sample.file!);
  });

  it('deletes a finished run and emits run-deleted', async () => {
    const id = completedRun();
    const updates: LiveUpdate[] = [];
    const unsubscribe = api.onUpdate((update) => updates.push(update));

    await api.runs.delete(id);
    unsubscribe();

    expect(updates).toEqual([{ type: 'run-deleted', runId: id }]);
    expect(await callError('runs', 'get', [id])).toMatchObject({ code: 'not-found' });
  });

  it('stops emitting after unsubscribe', async () => {
    const updates: LiveUpdate[] = [];
    const unsubscribe = api.onUpdate((update) => updates.push(update));
    unsubscribe();

    await api.runs.rename(completedRun(), 'quiet');

    expect(updates).toEqual([]);
  });
});

describe('system info', () => {
  it('reports shell, database and backends', async () => {
    const info = await api.system.info();

    expect(info).toEqual({
      version: '9.9.9',
      dbPath: path.join(dir, 'workbench.db'),
      shell: 'browser',
      backends: [{ name: 'cpu', available: true, gpu: false, reason: null }],
      defaultBackend: 'auto',
    });
  });
});

describe('file dialog', () => {
  it('returns null in browser mode', async () => {
    expect(await api.datasets.chooseFile('images')).toBeNull();
  });

  it('passes the purpose to the shell dialog', async () => {
    const purposes: string[] = [];
    const desktop = createWorkbenchApi({
      store,
      training,
      dbPath: path.join(dir, 'workbench.db'),
      shell: 'electron',
      chooseFile: async (purpose) => {
        purposes.push(purpose);
        return '/data/labels.gz';
      },
    });

    expect(await desktop.datasets.chooseFile('labels')).toBe('/data/labels.gz');
    expect(purposes).toEqual(['labels']);
  });

  it('rejects an unknown purpose', async () => {
    const error = await callError('datasets', 'chooseFile', ['weights']);

    expect(error.code).toBe('invalid-input');
    expect(error.message).toContain('purpose');
  });
});
