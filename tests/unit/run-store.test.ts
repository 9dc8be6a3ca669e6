// RunStore on real SQLite files and real sample folders in a temporary directory. Crashed
// and live owner processes are real child processes; nothing is mocked.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { parseRunConfig } from '../../src/shared/config';
import type { RunConfig, RunConfigInput } from '../../src/shared/config';
import type { RunFilter } from '../../src/shared/api';
import type { BackendInfo, DatasetIdentity } from '../../src/shared/run';
import { ConflictError, InvalidInputError, NotFoundError, RunStore } from '../../src/main/store/run-store';
import type { RunStoreOptions } from '../../src/main/store/run-store';

const BACKEND: BackendInfo = { name: 'wasm', gpu: false, unavailable: [{ name: 'tensorflow', reason: 'not installed' }] };
const DATASET: DatasetIdentity = { name: 'ring8', path: null, labelsPath: null, items: 8, shape: [2], contentHash: 'abc123' };
// The 8-byte PNG signature followed by a few bytes; the store treats PNGs as opaque bytes.
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

let folder: string;
let dbPath: string;
const stores: RunStore[] = [];

beforeEach(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-run-store-'));
  dbPath = path.join(folder, 'workbench.db');
});

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

function openStore(options: RunStoreOptions = {}, file = dbPath): RunStore {
  const store = RunStore.open(file, options);
  stores.push(store);
  return store;
}

function config(input: RunConfigInput = {}): RunConfig {
  const parsed = parseRunConfig(input);
  if (!parsed.ok) throw new Error(`test config is invalid: ${JSON.stringify(parsed.issues)}`);
  return parsed.config;
}

/** Opens a second, plain connection to inspect or arrange rows the way another process left them. */
function rawDatabase(): BetterSqlite3.Database {
  const raw = new BetterSqlite3(dbPath);
  raw.pragma('busy_timeout = 5000');
  return raw;
}

function countRows(table: string, runId: number): number {
  const raw = rawDatabase();
  const { count } = raw.prepare(`SELECT COUNT(*) AS count FROM ${table} WHERE run_id = ?`).get(runId) as { count: number };
  raw.close();
  return count;
}

function setOwner(runId: number, owner: { token: string; pid: number; host?: string; heartbeatAt?: number }): void {
  const raw = rawDatabase();
  raw
    .prepare('UPDATE runs SET owner_token = ?, owner_pid = ?, owner_host = ?, heartbeat_at = ? WHERE id = ?')
    .run(owner.token, owner.pid, owner.host ?? os.hostname(), owner.heartbeatAt ?? Date.now(), runId);
  raw.close();
}

function waitForExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** Returns the pid of a child process that has exited (and been reaped), so no process has it. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await waitForExit(child);
  return child.pid as number;
}

function thrownBy(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to throw');
}

describe('createRun', () => {
  it('creates a queued run with a readable name', () => {
    const store = openStore();

    const run = store.createRun(config({ dataset: { kind: 'grid25' }, loss: { kind: 'hinge' } }));

    expect(run.id).toBe(1);
    expect(run.status).toBe('queued');
    expect(run.name).toBe('grid25-hinge-1');
    expect(run.experiment).toBe('default');
    expect(run.step).toBe(0);
    expect(run.startedAt).toBeNull();
    expect(run.tags).toEqual([]);
    expect(run.config.dataset).toEqual({ kind: 'grid25', side: 5, spacing: 2, std: 0.05 });
  });

  it('keeps a given name, trimmed', () => {
    const store = openStore();

    const run = store.createRun(config({ name: '  baseline  ' }));

    expect(run.name).toBe('baseline');
  });

  it('creates each experiment once', () => {
    const store = openStore();

    const first = store.createRun(config({ experiment: 'ttur' }));
    const second = store.createRun(config({ experiment: 'ttur' }));
    const other = store.createRun(config({ experiment: 'other' }));

    expect(second.experimentId).toBe(first.experimentId);
    expect(other.experimentId).not.toBe(first.experimentId);
    expect(second.experiment).toBe('ttur');
  });

  it('rejects an invalid config and stores nothing', () => {
    const store = openStore();
    const invalid = { ...config(), batchSize: -4 } as RunConfig;

    const error = thrownBy(() => store.createRun(invalid));

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toContain('batchSize');
    expect(error.message).toContain('-4');
    expect(store.listRuns()).toEqual([]);
  });
});

describe('run lifecycle', () => {
  it('records running and finished states', () => {
    const store = openStore();
    const { id } = store.createRun(config());

    store.markRunning(id, BACKEND, DATASET);
    const running = store.getRun(id);
    store.updateStep(id, 40);
    const finished = store.finishRun(id, 'completed', null, 50);

    expect(running.status).toBe('running');
    expect(running.startedAt).not.toBeNull();
    expect(running.backend).toEqual(BACKEND);
    expect(running.dataset).toEqual(DATASET);
    expect(finished.status).toBe('completed');
    expect(finished.step).toBe(50);
    expect(finished.endedAt).not.toBeNull();
    expect(finished.error).toBeNull();
  });

  it('keeps the last step when finishRun gets none', () => {
    const store = openStore();
    const { id } = store.createRun(config());
    store.markRunning(id, BACKEND, DATASET);
    store.updateStep(id, 17);

    const failed = store.finishRun(id, 'failed', 'out of memory');

    expect(failed.step).toBe(17);
    expect(failed.error).toBe('out of memory');
  });

  it('rejects starting a finished run', () => {
    const store = openStore();
    const { id } = store.createRun(config());
    store.finishRun(id, 'stopped', null);

    const error = thrownBy(() => store.markRunning(id, BACKEND, DATASET));

    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe(`Cannot start run ${id}: it is stopped, and only a queued run can start running.`);
  });

  it('rejects finishing a run twice', () => {
    const store = openStore();
    const { id } = store.createRun(config());
    store.finishRun(id, 'completed', null, 10);

    const error = thrownBy(() => store.finishRun(id, 'failed', 'late error'));

    expect(error).toBeInstanceOf(ConflictError);
    expect(store.getRun(id).status).toBe('completed');
    expect(store.getRun(id).error).toBeNull();
  });

  it('rejects an invalid final status unchanged', () => {
    const store = openStore();
    const { id } = store.createRun(config());

    const error = thrownBy(() => store.finishRun(id, 'running' as 'completed', null));

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toBe('Invalid final run status "running": expected one of completed, failed, stopped, interrupted.');
    expect(store.getRun(id).status).toBe('queued');
  });

  it('names the id of a missing run', () => {
    const store = openStore();

    const error = thrownBy(() => store.getRun(42));

    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toContain('Run 42 not found');
    expect(() => store.updateStep(42, 1)).toThrow(NotFoundError);
    expect(() => store.finishRun(42, 'completed', null)).toThrow(NotFoundError);
  });

  it('rejects ids that are not positive integers', () => {
    const store = openStore();

    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => store.getRun(bad)).toThrow(InvalidInputError);
    }
    expect(() => store.getRun('7' as unknown as number)).toThrow('Invalid run id "7": expected a positive integer');
  });
});

describe('listRuns', () => {
  function seedRuns(store: RunStore): void {
    store.createRun(config({ name: 'Ring baseline', dataset: { kind: 'ring8' }, loss: { kind: 'ns' } }));
    store.createRun(config({ name: 'ring hinge', dataset: { kind: 'ring8' }, loss: { kind: 'hinge' } }));
    const grid = store.createRun(config({ name: 'grid 100%', dataset: { kind: 'grid25' }, loss: { kind: 'hinge' } }));
    store.finishRun(grid.id, 'completed', null);
  }

  it('lists newest first', () => {
    const store = openStore();
    seedRuns(store);

    expect(store.listRuns().map((run) => run.name)).toEqual(['grid 100%', 'ring hinge', 'Ring baseline']);
  });

  it('filters by status, dataset and loss', () => {
    const store = openStore();
    seedRuns(store);

    expect(store.listRuns({ status: 'completed' }).map((run) => run.name)).toEqual(['grid 100%']);
    expect(store.listRuns({ datasetKind: 'ring8' }).map((run) => run.name)).toEqual(['ring hinge', 'Ring baseline']);
    expect(store.listRuns({ loss: 'hinge' }).map((run) => run.name)).toEqual(['grid 100%', 'ring hinge']);
    expect(store.listRuns({ datasetKind: 'ring8', loss: 'hinge' }).map((run) => run.name)).toEqual(['ring hinge']);
    expect(store.listRuns({ datasetKind: 'fashion-mnist' })).toEqual([]);
  });

  it('searches names without case', () => {
    const store = openStore();
    seedRuns(store);

    expect(store.listRuns({ search: 'RING' }).map((run) => run.name)).toEqual(['ring hinge', 'Ring baseline']);
    expect(store.listRuns({ search: 'base' }).map((run) => run.name)).toEqual(['Ring baseline']);
  });

  it('treats % and _ in searches literally', () => {
    const store = openStore();
    seedRuns(store);

    expect(store.listRuns({ search: '100%' }).map((run) => run.name)).toEqual(['grid 100%']);
    expect(store.listRuns({ search: '%' }).map((run) => run.name)).toEqual(['grid 100%']);
    expect(store.listRuns({ search: '_' })).toEqual([]);
  });

  it('searches tags and experiment names', () => {
    const store = openStore();
    seedRuns(store);
    const tagged = store.createRun(config({ name: 'plain', experiment: 'spectral-norm' }));
    store.setTags(tagged.id, ['Paper-Figure']);

    expect(store.listRuns({ search: 'figure' }).map((run) => run.id)).toEqual([tagged.id]);
    expect(store.listRuns({ search: 'spectral' }).map((run) => run.id)).toEqual([tagged.id]);
  });

  it('rejects unknown filter values', () => {
    const store = openStore();

    expect(() => store.listRuns({ status: 'paused' as 'queued' })).toThrow(
      'Invalid status filter "paused": expected one of queued, running, completed, failed, stopped, interrupted.',
    );
    expect(() => store.listRuns({ loss: 'began' })).toThrow(/Invalid loss filter "began": expected one of minimax, ns/);
    expect(() => store.listRuns({ datasetKind: 'cifar' as 'idx' })).toThrow(/Invalid dataset filter "cifar"/);
    expect(() => store.listRuns(null as unknown as RunFilter)).toThrow('Invalid run filter null: expected an object');
  });
});

describe('metrics', () => {
  it('returns points ordered by step', () => {
    const store = openStore();
    const { id } = store.createRun(config());

    store.appendMetrics(id, [
      { step: 20, name: 'lossG', value: 0.7 },
      { step: 10, name: 'lossG', value: 0.9 },
      { step: 10, name: 'lossD', value: 1.3 },
    ]);
    store.appendMetrics(id, [{ step: 0, name: 'lossD', value: 1.39 }]);

    expect(store.getMetrics(id)).toEqual([
      { step: 0, name: 'lossD', value: 1.39 },
      { step: 10, name: 'lossD', value: 1.3 },
      { step: 10, name: 'lossG', value: 0.9 },
      { step: 20, name: 'lossG', value: 0.7 },
    ]);
  });

  it('replaces a point logged twice', () => {
    const store = openStore();
    const { id } = store.createRun(config());

    store.appendMetrics(id, [{ step: 5, name: 'lossD', value: 1 }]);
    store.appendMetrics(id, [{ step: 5, name: 'lossD', value: 2 }]);

    expect(store.getMetrics(id)).toEqual([{ step: 5, name: 'lossD', value: 2 }]);
  });

  it('filters by names and first step', () => {
    const store = openStore();
    const { id } = store.createRun(config());
    store.appendMetrics(id, [
      { step: 0, name: 'lossD', value: 1 },
      { step: 0, name: 'lossG', value: 2 },
      { step: 0, name: 'dReal', value: 0.5 },
      { step: 10, name: 'lossD', value: 3 },
      { step: 10, name: 'lossG', value: 4 },
    ]);

    expect(store.getMetrics(id, { names: ['lossG', 'dReal'] })).toEqual([
      { step: 0, name: 'dReal', value: 0.5 },
      { step: 0, name: 'lossG', value: 2 },
      { step: 10, name: 'lossG', value: 4 },
    ]);
    expect(store.getMetrics(id, { sinceStep: 10 })).toEqual([
      { step: 10, name: 'lossD', value: 3 },
      { step: 10, name: 'lossG', value: 4 },
    ]);
    expect(store.getMetrics(id, { names: ['lossD'], sinceStep: 5 })).toEqual([{ step: 10, name: 'lossD', value: 3 }]);
    expect(store.getMetrics(id, { names: [] })).toEqual([]);
  });

  it('reads NaN back as NaN and keeps infinities', () => {
    const store = openStore();
    const { id } = store.createRun(config());

    store.appendMetrics(id, [
      { step: 1, name: 'lossD', value: Number.NaN },
      { step: 1, name: 'lossG', value: Number.POSITIVE_INFINITY },
      { step: 1, name: 'gradNormD', value: Number.NEGATIVE_INFINITY },
    ]);
    const values = Object.fromEntries(store.getMetrics(id).map((point) => [point.name, point.value]));

    expect(values.lossD).toBeNaN();
    expect(values.lossG).toBe(Number.POSITIVE_INFINITY);
    expect(values.gradNormD).toBe(Number.NEGATIVE_INFINITY);
  });

  it('rejects a batch with one bad point whole', () => {
    const store = openStore();
    const { id } = store.createRun(config());

    const error = thrownBy(() =>
      store.appendMetrics(id, [
        { step: 1, name: 'lossD', value: 1 },
        { step: -1, name: 'lossG', value: 1 },
      ]),
    );

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toBe('Invalid step -1: expected a non-negative integer.');
    expect(store.getMetrics(id)).toEqual([]);
  });

  it('rejects metrics for a missing run', () => {
    const store = openStore();

    expect(() => store.appendMetrics(9, [{ step: 1, name: 'lossD', value: 1 }])).toThrow(NotFoundError);
    expect(() => store.getMetrics(9)).toThrow(NotFoundError);
  });

  it('returns the latest value of each name', () => {
    const store = openStore();
    const { id } = store.createRun(config());
    store.appendMetrics(id, [
      { step: 30, name: 'lossD', value: 0.3 },
      { step: 10, name: 'lossD', value: 0.1 },
      { step: 20, name: 'lossG', value: 2.2 },
      { step: 40, name: 'lossG', value: Number.NaN },
      { step: 5, name: 'dReal', value: 0.55 },
    ]);

    const latest = store.latestMetrics(id);

    expect(Object.keys(latest).sort()).toEqual(['dReal', 'lossD', 'lossG']);
    expect(latest.lossD).toBe(0.3);
    expect(latest.dReal).toBe(0.55);
    expect(latest.lossG).toBeNaN();
  });

  it('lists metric names alphabetically', () => {
    const store = openStore();
    const { id } = store.createRun(config());
    store.appendMetrics(id, [
      { step: 0, name: 'lossG', value: 1 },
      { step: 0, name: 'accReal', value: 1 },
      { step: 10, name: 'lossG', value: 1 },
    ]);

    expect(store.metricNames(id)).toEqual(['accReal', 'lossG']);
  });

  it('checkpoints the WAL', () => {
    const store = openStore({ checkpointEveryBatches: 2 });
    const { id } = store.createRun(config());
    store.appendMetrics(id, [{ step: 0, name: 'lossD', value: 1 }]);
    store.appendMetrics(id, [{ step: 1, name: 'lossD', value: 1 }]);
    store.appendMetrics(id, [{ step: 2, name: 'lossD', value: 1 }]);

    const result = store.checkpoint();

    expect(result.busy).toBe(false);
    expect(result.walFrames).toBeGreaterThan(0);
    expect(result.checkpointedFrames).toBe(result.walFrames);
    expect(store.getMetrics(id)).toHaveLength(3);
  });
});

describe('samples', () => {
  it('writes the PNG beside the database', () => {
    const store = openStore();
    const { id } = store.createRun(config());

    const sample = store.addSample(id, 100, 'image-grid', PNG);

    const expectedFile = path.join(`${dbPath}-samples`, `run-${id}`, `sample-${sample.id}-step-100.png`);
    expect(sample.file).toBe(expectedFile);
    expect(new Uint8Array(fs.readFileSync(expectedFile))).toEqual(PNG);
    expect(sample.runId).toBe(id);
    expect(sample.step).toBe(100);
    expect(sample.kind).toBe('image-grid');
    expect(sample.points).toBeUndefined();
  });

  it('stores the path relative to the database folder', () => {
    const store = openStore();
    const { id } = store.createRun(config());
    const sample = store.addSample(id, 0, 'image-grid', PNG);

    const raw = rawDatabase();
    const row = raw.prepare('SELECT file FROM samples WHERE id = ?').get(sample.id) as { file: string };
    raw.close();

    expect(row.file).toBe(`workbench.db-samples/run-${id}/sample-${sample.id}-step-0.png`);
  });

  it('follows the database when both move', () => {
    const store = openStore();
    const { id } = store.createRun(config());
    const sample = store.addSample(id, 0, 'image-grid', PNG);
    store.close();

    const moved = path.join(folder, 'moved');
    fs.mkdirSync(moved);
    for (const name of ['workbench.db', 'workbench.db-samples']) fs.renameSync(path.join(folder, name), path.join(moved, name));
    const reopened = openStore({}, path.join(moved, 'workbench.db'));

    const file = reopened.getSample(sample.id).file as string;
    expect(file.startsWith(moved)).toBe(true);
    expect(new Uint8Array(fs.readFileSync(file))).toEqual(PNG);
  });

  it('keeps points with and without a PNG', () => {
    const store = openStore();
    const { id } = store.createRun(config());
    const points = { generated: [[0.5, -1.25]] as [number, number][], real: [[2, 0]] as [number, number][] };

    const withPng = store.addSample(id, 10, 'points', PNG, points);
    const withoutPng = store.addSample(id, 5, 'points', null, points);

    expect(withPng.points).toEqual(points);
    expect(withoutPng.file).toBeNull();
    expect(withoutPng.points).toEqual(points);
    expect(store.getSamples(id).map((sample) => sample.step)).toEqual([5, 10]);
  });

  it('rejects a sample with no content', () => {
    const store = openStore();
    const { id } = store.createRun(config());

    expect(() => store.addSample(id, 0, 'image-grid', null)).toThrow(
      `Sample for run ${id} at step 0 has neither a PNG nor points; pass at least one.`,
    );
    expect(() => store.addSample(id, 0, 'video' as 'points', PNG)).toThrow('Invalid sample kind "video"');
    expect(store.getSamples(id)).toEqual([]);
  });

  it('writes no file for a missing run', () => {
    const store = openStore();

    expect(() => store.addSample(5, 0, 'image-grid', PNG)).toThrow(NotFoundError);
    expect(fs.existsSync(path.join(`${dbPath}-samples`, 'run-5'))).toBe(false);
  });

  it('names a missing sample', () => {
    const store = openStore();

    expect(() => store.getSample(77)).toThrow(/Sample 77 not found/);
  });
});

describe('events', () => {
  it('returns events in order', () => {
    const store = openStore();
    const { id } = store.createRun(config());

    const first = store.addEvent(id, 0, 'backend', 'using wasm');
    store.addEvent(id, 200, 'warning', 'D accuracy above 0.95');

    expect(first.kind).toBe('backend');
    expect(first.runId).toBe(id);
    expect(store.getEvents(id).map((event) => [event.step, event.kind, event.message])).toEqual([
      [0, 'backend', 'using wasm'],
      [200, 'warning', 'D accuracy above 0.95'],
    ]);
  });

  it('rejects an unknown kind', () => {
    const store = openStore();
    const { id } = store.createRun(config());

    expect(() => store.addEvent(id, 0, 'debug' as 'info', 'x')).toThrow(
      'Invalid event kind "debug": expected one of info, warning, error, backend, status, verdict, controller, collapse.',
    );
  });
});

describe('deleteRun', () => {
  it('removes rows and sample files', () => {
    const store = openStore();
    const { id } = store.createRun(config());
    const kept = store.createRun(config());
    store.appendMetrics(id, [{ step: 0, name: 'lossD', value: 1 }]);
    store.addSample(id, 0, 'image-grid', PNG);
    store.addEvent(id, 0, 'info', 'hello');
    const keptSample = store.addSample(kept.id, 0, 'image-grid', PNG);
    store.finishRun(id, 'completed', null);

    store.deleteRun(id);

    expect(() => store.getRun(id)).toThrow(NotFoundError);
    expect(countRows('metrics', id)).toBe(0);
    expect(countRows('samples', id)).toBe(0);
    expect(countRows('events', id)).toBe(0);
    expect(fs.existsSync(path.join(`${dbPath}-samples`, `run-${id}`))).toBe(false);
    expect(fs.existsSync(keptSample.file as string)).toBe(true);
  });

  it('rejects deleting an active run', () => {
    const store = openStore();
    const { id } = store.createRun(config());
    store.markRunning(id, BACKEND, DATASET);

    const error = thrownBy(() => store.deleteRun(id));

    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe(`Cannot delete run ${id}: it is running. Stop it first, then delete it.`);
    expect(store.getRun(id).status).toBe('running');
  });

  it('never reuses a deleted id', () => {
    const store = openStore();
    const { id } = store.createRun(config());
    store.finishRun(id, 'stopped', null);
    store.deleteRun(id);

    expect(store.createRun(config()).id).toBe(id + 1);
  });
});

describe('renameRun and setTags', () => {
  it('renames with trimming', () => {
    const store = openStore();
    const { id } = store.createRun(config());

    expect(store.renameRun(id, '  wgan-gp sweep ').name).toBe('wgan-gp sweep');
  });

  it('rejects empty and long names', () => {
    const store = openStore();
    const { id, name } = store.createRun(config());

    const empty = thrownBy(() => store.renameRun(id, '   '));
    const long = thrownBy(() => store.renameRun(id, 'x'.repeat(201)));

    expect(empty).toBeInstanceOf(InvalidInputError);
    expect(empty.message).toBe('Invalid run name "   ": expected at least one visible character.');
    expect(long.message).toBe('Invalid run name of 201 characters: the limit is 200; shorten it.');
    expect(store.getRun(id).name).toBe(name);
    expect(() => store.renameRun(99, 'ok')).toThrow(NotFoundError);
  });

  it('trims tags and drops repeats', () => {
    const store = openStore();
    const { id } = store.createRun(config());

    expect(store.setTags(id, [' baseline', 'ttur', 'baseline ']).tags).toEqual(['baseline', 'ttur']);
    expect(store.setTags(id, []).tags).toEqual([]);
  });

  it('rejects invalid tags unchanged', () => {
    const store = openStore();
    const { id } = store.createRun(config());
    store.setTags(id, ['kept']);

    expect(() => store.setTags(id, ['ok', ''])).toThrow('Invalid tag "": expected a non-empty string.');
    expect(() => store.setTags(id, 'baseline' as unknown as string[])).toThrow(/Invalid tags "baseline": expected an array/);
    expect(() => store.setTags(id, ['t'.repeat(65)])).toThrow(/tags are limited to 64 characters/);
    expect(store.getRun(id).tags).toEqual(['kept']);
  });
});

describe('orphaned runs', () => {
  it('marks a dead owner’s run interrupted', async () => {
    const first = openStore();
    const { id } = first.createRun(config());
    first.markRunning(id, BACKEND, DATASET);
    first.updateStep(id, 120);
    const pid = await deadPid();
    setOwner(id, { token: 'crashed-process', pid });

    const second = openStore();

    const run = second.getRun(id);
    expect(run.status).toBe('interrupted');
    expect(run.step).toBe(120);
    expect(run.endedAt).not.toBeNull();
    const events = second.getEvents(id);
    expect(events).toHaveLength(1);
    expect(events[0].kind).toBe('status');
    expect(events[0].step).toBe(120);
    expect(events[0].message).toBe(
      `Marked interrupted at step 120 (was running) because process ${pid} on ${os.hostname()}, which owned it, is no longer running.`,
    );
    expect(run.error).toBe(events[0].message);
  });

  it('leaves a live owner’s runs alone', async () => {
    const trainer = openStore();
    const running = trainer.createRun(config());
    trainer.markRunning(running.id, BACKEND, DATASET);
    const queued = trainer.createRun(config());
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    const otherProcessRun = trainer.createRun(config());
    setOwner(otherProcessRun.id, { token: 'live-child', pid: child.pid as number });

    try {
      const reader = openStore();

      expect(reader.getRun(running.id).status).toBe('running');
      expect(reader.getRun(queued.id).status).toBe('queued');
      expect(reader.getRun(otherProcessRun.id).status).toBe('queued');
      expect(reader.markOrphanedRunsInterrupted()).toEqual([]);

      child.kill();
      await waitForExit(child);

      expect(reader.markOrphanedRunsInterrupted()).toEqual([otherProcessRun.id]);
      expect(reader.getRun(otherProcessRun.id).status).toBe('interrupted');
      expect(reader.getRun(running.id).status).toBe('running');
    } finally {
      child.kill();
    }
  });

  it('marks a run with a stale heartbeat', () => {
    const store = openStore();
    const { id } = store.createRun(config());
    const sixMinutesAgo = Date.now() - 6 * 60_000;
    // This test's own pid is alive, as a reused pid would be.
    setOwner(id, { token: 'hung-process', pid: process.pid, heartbeatAt: sixMinutesAgo });

    expect(store.markOrphanedRunsInterrupted()).toEqual([id]);
    expect(store.getEvents(id)[0].message).toMatch(/has not updated it for 36\d s \(limit 300 s\)/);
  });

  it('trusts a fresh heartbeat from another host', () => {
    const store = openStore();
    const fresh = store.createRun(config());
    const stale = store.createRun(config());
    setOwner(fresh.id, { token: 'remote', pid: 1, host: 'other-machine' });
    setOwner(stale.id, { token: 'remote', pid: 1, host: 'other-machine', heartbeatAt: Date.now() - 10 * 60_000 });

    expect(store.markOrphanedRunsInterrupted()).toEqual([stale.id]);
    expect(store.getRun(fresh.id).status).toBe('queued');
  });

  it('marks a run left by a crashed process', async () => {
    // A real second process opens the store, starts a run and exits without closing it.
    const storeModule = fileURLToPath(new URL('../../src/main/store/run-store.ts', import.meta.url));
    const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
    const script = `
      import { RunStore } from ${JSON.stringify(storeModule)};
      const store = RunStore.open(${JSON.stringify(dbPath)});
      const run = store.createRun({ model: {} });
      store.markRunning(run.id, ${JSON.stringify(BACKEND)}, ${JSON.stringify(DATASET)});
      store.updateStep(run.id, 7);
      process.exit(0);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: repositoryRoot,
      stdio: 'ignore',
    });
    await waitForExit(child);
    expect(child.exitCode).toBe(0);

    const store = openStore();

    const [run] = store.listRuns();
    expect(run.status).toBe('interrupted');
    expect(run.step).toBe(7);
    expect(store.getEvents(run.id)[0].message).toContain(`process ${child.pid}`);
  });

  it('lets the owner finish its own run after a false alarm', () => {
    const owner = openStore();
    const { id } = owner.createRun(config());
    owner.markRunning(id, BACKEND, DATASET);
    const raw = rawDatabase();
    raw.prepare(`UPDATE runs SET status = 'interrupted' WHERE id = ?`).run(id);
    raw.close();

    expect(owner.finishRun(id, 'completed', null, 10).status).toBe('completed');
  });

  it('marks its own active runs interrupted on close', () => {
    const store = openStore();
    const { id } = store.createRun(config());
    store.close();

    const reopened = openStore();
    expect(reopened.getRun(id).status).toBe('interrupted');
    expect(reopened.getEvents(id)[0].message).toBe(
      'Marked interrupted at step 0 (was queued) because the run store was closed before the run finished.',
    );
  });

  it('refreshes its heartbeat while runs are active', async () => {
    const store = openStore({ heartbeatIntervalMs: 20 });
    const { id } = store.createRun(config());
    const raw = rawDatabase();
    raw.prepare('UPDATE runs SET heartbeat_at = 0 WHERE id = ?').run(id);

    try {
      await vi.waitFor(() => {
        const heartbeat = raw.prepare('SELECT heartbeat_at FROM runs WHERE id = ?').pluck().get(id) as number;
        expect(heartbeat).toBeGreaterThan(0);
      });
    } finally {
      raw.close();
    }
  });
});
