import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LiveUpdate } from '../../src/shared/api';
import { parseRunConfig, type RunConfig, type RunConfigInput } from '../../src/shared/config';
import { RunStore } from '../../src/main/store/run-store';
import { TrainingService } from '../../src/main/training/training-service';

function config(input: RunConfigInput): RunConfig {
  const result = parseRunConfig({ backend: 'wasm', ...input });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

describe('TrainingService', () => {
  let dir: string;
  let store: RunStore;
  let service: TrainingService;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gan-service-'));
    store = RunStore.open(join(dir, 'w.db'));
    service = new TrainingService({ store, maxConcurrentRuns: 2 });
  });

  afterEach(async () => {
    await service.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('trains a run in a worker and stores metrics, samples and events', async () => {
    const updates: LiveUpdate['type'][] = [];
    service.onUpdate((update) => updates.push(update.type));
    const run = service.start(config({ steps: 30, logEvery: 10, sampleEvery: 15, name: 'stored' }));
    const finished = await service.waitForRun(run.id);

    expect(finished.status).toBe('completed');
    expect(finished.step).toBe(30);
    expect(finished.backend?.name).toBe('wasm');
    expect(finished.dataset?.name).toBe('ring8');
    expect(store.getMetrics(run.id, { names: ['lossD'] }).map((p) => p.step)).toEqual([10, 20, 30]);
    const samples = store.getSamples(run.id);
    expect(samples.map((s) => s.step)).toEqual([0, 15, 30]);
    expect(samples.every((s) => s.kind === 'points' && s.file !== null && existsSync(s.file))).toBe(true);
    expect(samples[0].points?.generated).toHaveLength(1000);
    expect(store.getEvents(run.id).some((e) => e.kind === 'backend' && e.message.includes('wasm'))).toBe(true);
    expect(updates).toContain('metrics');
    expect(updates).toContain('sample');
    expect(updates.filter((type) => type === 'run').length).toBeGreaterThanOrEqual(3);
  });

  it('trains two runs at once in two workers', async () => {
    const first = service.start(config({ steps: 40, logEvery: 10, sampleEvery: 100, seed: 1 }));
    const second = service.start(config({ steps: 40, logEvery: 10, sampleEvery: 100, seed: 2 }));
    expect(service.active().map((a) => a.runId).sort()).toEqual([first.id, second.id]);

    const [a, b] = await Promise.all([service.waitForRun(first.id), service.waitForRun(second.id)]);
    expect(a.status).toBe('completed');
    expect(b.status).toBe('completed');
    expect(store.getMetrics(first.id, { names: ['lossD'] })).toHaveLength(4);
    expect(store.getMetrics(second.id, { names: ['lossD'] })).toHaveLength(4);
  });

  it('queues runs beyond the worker limit and stops a queued run', async () => {
    const runs = [1, 2, 3].map((seed) => service.start(config({ steps: 20, logEvery: 10, sampleEvery: 100, seed })));
    service.stop(runs[2].id);

    const finished = await Promise.all(runs.map((run) => service.waitForRun(run.id)));
    expect(finished.map((run) => run.status)).toEqual(['completed', 'completed', 'stopped']);
    expect(finished[2].step).toBe(0);
  });

  it('stops a running run after the current step', async () => {
    const run = service.start(config({ steps: 100_000, logEvery: 10, sampleEvery: 1000 }));
    await new Promise<void>((resolve) => {
      const unsubscribe = service.onUpdate((update) => {
        if (update.type === 'progress' && update.progress.step > 20) {
          unsubscribe();
          resolve();
        }
      });
    });
    service.stop(run.id);
    const finished = await service.waitForRun(run.id);

    expect(finished.status).toBe('stopped');
    expect(finished.step).toBeGreaterThan(20);
    expect(finished.step).toBeLessThan(100_000);
    expect(store.getMetrics(finished.id, { names: ['lossD'] }).length).toBeGreaterThan(1);
  });

  it('pauses and resumes a run', async () => {
    const run = service.start(config({ steps: 100_000, logEvery: 10, sampleEvery: 1000 }));
    await new Promise<void>((resolve) => {
      const unsubscribe = service.onUpdate((update) => {
        if (update.type === 'progress' && update.progress.step > 10) {
          unsubscribe();
          resolve();
        }
      });
    });
    service.pause(run.id);
    await new Promise((resolve) => setTimeout(resolve, 600));
    const pausedAt = store.getRun(run.id).step;
    await new Promise((resolve) => setTimeout(resolve, 1000));

    expect(store.getRun(run.id).step).toBe(pausedAt);
    expect(service.active()[0].paused).toBe(true);

    service.resume(run.id);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(store.getRun(run.id).step).toBeGreaterThan(pausedAt);
    service.stop(run.id);
    expect((await service.waitForRun(run.id)).status).toBe('stopped');
  });

  it('rejects stopping a run that is not active', async () => {
    const run = service.start(config({ steps: 5, logEvery: 5, sampleEvery: 100 }));
    await service.waitForRun(run.id);

    expect(() => service.stop(run.id)).toThrow(`run ${run.id} is not active (its status is completed)`);
  });
});
