// Renderer stores against an in-memory WorkbenchApi (see renderer-fake-api.ts): the real API
// needs the main process or the browser-mode server, which these tests do not start.
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RUN_PRESETS, applyPreset, findPreset, matchingPreset } from '../../src/shared/presets';
import { parseRunConfig } from '../../src/shared/config';
import { useHistoryStore, parseTags } from '../../src/renderer/src/stores/history';
import { appendMetricPoints, useLiveStore } from '../../src/renderer/src/stores/live';
import { useNavigationStore } from '../../src/renderer/src/stores/navigation';
import { defaultRunQuery, queryRuns, runDurationMs } from '../../src/renderer/src/stores/run-query';
import { parseSeedList } from '../../src/renderer/src/stores/seed-list';
import { buildConfigInput, createDefaultForm } from '../../src/renderer/src/stores/setup-form';
import { VALIDATION_DELAY_MS, useSetupStore } from '../../src/renderer/src/stores/setup';
import type { MetricSeries } from '../../src/renderer/src/charts/display-series';
import { createFakeApi, makeRun, type FakeApi } from './renderer-fake-api';

const state = vi.hoisted(() => ({ api: null as unknown }));

vi.mock('../../src/renderer/src/api', async () => {
  const { ApiError } = await import('../../src/renderer/src/api/api-error');
  return { ApiError, getApi: () => state.api };
});

let api: FakeApi;

beforeEach(() => {
  api = createFakeApi();
  state.api = api;
  setActivePinia(createPinia());
});

afterEach(() => {
  vi.useRealTimers();
});

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('presets', () => {
  it('each preset passes the config schema', () => {
    for (const preset of RUN_PRESETS) {
      const result = parseRunConfig(applyPreset({}, preset));
      expect(result.ok, preset.id).toBe(true);
    }
  });

  it('TTUR gives D four times G’s rate', () => {
    const { settings } = findPreset('ttur');
    expect(settings.optimizerD.learningRate).toBe(4e-4);
    expect(settings.optimizerG.learningRate).toBe(1e-4);
  });

  it('WGAN-GP sets nD 5, λ 10, Adam 1e-4 with β (0.5, 0.9)', () => {
    const { settings } = findPreset('wgan-gp');
    expect(settings.nD).toBe(5);
    expect(settings.loss).toEqual({ kind: 'wgan-gp', gradientPenaltyWeight: 10 });
    expect(settings.optimizerG).toEqual({ kind: 'adam', learningRate: 1e-4, beta1: 0.5, beta2: 0.9, momentum: 0 });
  });

  it('matchingPreset finds an applied preset', () => {
    const parsed = parseRunConfig(applyPreset({ steps: 10 }, findPreset('hinge')));
    if (!parsed.ok) throw new Error('the hinge preset must parse');
    expect(matchingPreset(parsed.config)?.id).toBe('hinge');
  });

  it('matchingPreset returns null for custom settings', () => {
    const parsed = parseRunConfig({ nD: 3 });
    if (!parsed.ok) throw new Error('nD 3 must parse');
    expect(matchingPreset(parsed.config)).toBeNull();
  });

  it('unknown preset names the choices', () => {
    expect(() => findPreset('sngan')).toThrow('Unknown preset "sngan": expected one of dcgan, wgan-gp, ttur, hinge, sn-gan, r1-lazy, rt-noise.');
  });
});

describe('parseSeedList', () => {
  it('parses commas and spaces', () => {
    expect(parseSeedList(' 0, 1 2,,3 ')).toEqual({ ok: true, seeds: [0, 1, 2, 3] });
    expect(parseSeedList('')).toEqual({ ok: true, seeds: [] });
  });

  it('rejects non-integers, out-of-range and repeats', () => {
    const bad = parseSeedList('0,1.5');
    if (bad.ok) throw new Error('"0,1.5" must be rejected');
    expect(bad.message).toContain('Invalid seed "1.5"');
    expect(parseSeedList('2147483648').ok).toBe(false);
    expect(parseSeedList('3,3')).toEqual({ ok: false, message: 'Seed 3 appears twice; list each seed once.' });
  });
});

describe('setup form', () => {
  it('default form builds a valid config', () => {
    const result = parseRunConfig(buildConfigInput(createDefaultForm()));
    expect(result.ok).toBe(true);
  });

  it('builds only the chosen dataset', () => {
    const form = createDefaultForm();
    form.datasetKind = 'idx';
    form.datasets.idx.imagesPath = ' /data/images.gz ';
    expect(buildConfigInput(form).dataset).toEqual({ kind: 'idx', imagesPath: '/data/images.gz' });
    form.datasetKind = 'grid25';
    expect(buildConfigInput(form).dataset).toEqual({ kind: 'grid25', side: 5, spacing: 2, std: 0.05 });
  });
});

describe('setup store', () => {
  it('moves untouched defaults with the data type', async () => {
    const setup = useSetupStore();
    expect([setup.form.batchSize, setup.form.optimizerD.learningRate]).toEqual([256, 1e-3]);
    setup.form.optimizerG.learningRate = 5e-4;
    setup.form.datasetKind = 'idx';
    await settle();
    expect(setup.form.batchSize).toBe(64);
    expect(setup.form.optimizerD.learningRate).toBe(2e-4);
    expect(setup.form.optimizerG.learningRate).toBe(5e-4);
  });

  it('validates once after edits settle', async () => {
    vi.useFakeTimers();
    const setup = useSetupStore();
    setup.form.steps = 10;
    await settle();
    setup.form.steps = 20;
    await settle();
    expect(setup.validating).toBe(true);
    expect(setup.canStart).toBe(false);

    await vi.advanceTimersByTimeAsync(VALIDATION_DELAY_MS);
    await settle();
    expect(api.validateCalls).toBe(1);
    expect(setup.validating).toBe(false);
    expect(setup.canStart).toBe(true);
  });

  it('shows each issue at its field', async () => {
    vi.useFakeTimers();
    const setup = useSetupStore();
    setup.form.optimizerD.learningRate = -1;
    setup.form.steps = null;
    setup.setArchitecture('dcgan');
    await vi.advanceTimersByTimeAsync(VALIDATION_DELAY_MS);
    await settle();

    expect(setup.issuesByField.get('optimizerD.learningRate')?.[0]).toMatch(/greater than 0/);
    expect(setup.issuesByField.get('steps')).toEqual(['Required: enter a number.']);
    expect(setup.canStart).toBe(false);
  });

  it('flags DCGAN on 2-D data at model.architecture', async () => {
    vi.useFakeTimers();
    const setup = useSetupStore();
    setup.setArchitecture('dcgan');
    await vi.advanceTimersByTimeAsync(VALIDATION_DELAY_MS);
    await settle();

    expect(setup.form.model.latentSize).toBe(64);
    expect(setup.issuesByField.get('model.architecture')?.[0]).toContain('use model "mlp"');
  });

  it('reports an unavailable dataset with its hint', async () => {
    const setup = useSetupStore();
    await setup.load();
    setup.form.datasetKind = 'fashion-mnist';
    expect(setup.issuesByField.get('dataset.kind')).toEqual(['Install it with: apt install dataset-fashion-mnist']);
  });

  it('shows the learning-rate ratio and the matching preset', () => {
    const setup = useSetupStore();
    setup.choosePreset('ttur');
    expect(setup.learningRateRatio).toBeCloseTo(4, 12);
    expect(setup.activePreset?.id).toBe('ttur');
    setup.form.optimizerG.learningRate = null;
    expect(setup.learningRateRatio).toBeNull();
    expect(setup.activePreset).toBeNull();
  });

  it('DCGAN preset picks the DCGAN model for images', () => {
    const setup = useSetupStore();
    setup.form.datasetKind = 'fashion-mnist';
    setup.choosePreset('dcgan');
    expect(setup.form.model.architecture).toBe('dcgan');
    expect(setup.form.model.latentSize).toBe(64);
  });

  it('fills an IDX path from the file dialog', async () => {
    api.shell = 'electron';
    api.chosenFile = '/data/train-images-idx3-ubyte.gz';
    const setup = useSetupStore();
    await setup.load();
    expect(setup.canBrowseFiles).toBe(true);

    await setup.browseIdxFile('images');
    expect(setup.form.datasets.idx.imagesPath).toBe('/data/train-images-idx3-ubyte.gz');
    expect(setup.form.datasets.idx.labelsPath).toBe('');
  });

  it('offers no file dialog in browser mode', async () => {
    const setup = useSetupStore();
    await setup.load();
    expect(setup.canBrowseFiles).toBe(false);
  });

  it('DCGAN preset keeps the MLP on 2-D data', () => {
    const setup = useSetupStore();
    setup.choosePreset('dcgan');
    expect(setup.form.model.architecture).toBe('mlp');
  });

  it('starts one run per seed and opens the first', async () => {
    vi.useFakeTimers();
    const setup = useSetupStore();
    const navigation = useNavigationStore();
    setup.form.seedsText = '0,1,2';
    setup.form.steps = 50;
    await vi.advanceTimersByTimeAsync(VALIDATION_DELAY_MS);
    await settle();

    const runIds = await setup.start();
    expect(runIds).toEqual([100, 101, 102]);
    expect(api.started[0].seeds).toEqual([0, 1, 2]);
    expect(api.started[0].config.steps).toBe(50);
    expect(navigation.view).toBe('live');
    expect(navigation.liveRunId).toBe(100);
  });

  it('blocks start on a bad seed list', async () => {
    vi.useFakeTimers();
    const setup = useSetupStore();
    setup.form.seedsText = '0,x';
    await vi.advanceTimersByTimeAsync(VALIDATION_DELAY_MS);
    await settle();

    expect(setup.issuesByField.get('seeds')?.[0]).toContain('Invalid seed "x"');
    expect(setup.canStart).toBe(false);
    expect(await setup.start()).toEqual([]);
    expect(api.started).toHaveLength(0);
  });

  it('shows issues the start call rejects with', async () => {
    vi.useFakeTimers();
    const { ApiError } = await import('../../src/renderer/src/api/api-error');
    api.training.start = async () => {
      throw new ApiError({ code: 'invalid-input', message: 'Invalid config', issues: [{ field: 'dataset.imagesPath', message: 'file not found' }] });
    };
    const setup = useSetupStore();
    await vi.advanceTimersByTimeAsync(VALIDATION_DELAY_MS);
    await settle();

    expect(await setup.start()).toEqual([]);
    expect(setup.startError).toBe('Could not start the run: Invalid config');
    expect(setup.issuesByField.get('dataset.imagesPath')).toEqual(['file not found']);
  });
});

describe('live store', () => {
  it('appendMetricPoints skips steps it has', () => {
    const series = new Map<string, MetricSeries>();
    appendMetricPoints(series, [
      { step: 10, name: 'lossD', value: 1 },
      { step: 20, name: 'lossD', value: 2 },
    ]);
    const added = appendMetricPoints(series, [
      { step: 20, name: 'lossD', value: 9 },
      { step: 30, name: 'lossD', value: 3 },
    ]);
    expect(added).toBe(1);
    expect(series.get('lossD')).toEqual({ steps: [10, 20, 30], values: [1, 2, 3] });
  });

  it('loads a run and applies updates that arrive meanwhile', async () => {
    api.runsById.set(1, makeRun(1, { status: 'running', step: 20 }));
    api.metricsById.set(1, [
      { step: 20, name: 'lossD', value: 0.6 },
      { step: 10, name: 'lossD', value: 0.7 },
    ]);
    const live = useLiveStore();
    const unsubscribe = live.subscribe();

    const opening = live.open(1);
    api.emit({ type: 'metrics', runId: 1, points: [{ step: 20, name: 'lossD', value: 0.6 }, { step: 30, name: 'lossD', value: 0.5 }] });
    api.emit({ type: 'metrics', runId: 2, points: [{ step: 40, name: 'lossD', value: 9 }] });
    await opening;

    expect(live.series.get('lossD')).toEqual({ steps: [10, 20, 30], values: [0.7, 0.6, 0.5] });
    expect(live.isActive).toBe(true);
    unsubscribe();
    expect(api.listenerCount()).toBe(0);
  });

  it('computes speed and ETA from progress', async () => {
    api.runsById.set(1, makeRun(1, { status: 'running', step: 0 }));
    api.activeRuns = [{ runId: 1, step: 100, totalSteps: 500, stepsPerSecond: 10, paused: false }];
    const live = useLiveStore();
    await live.open(1);

    expect(live.step).toBe(100);
    expect(live.totalSteps).toBe(500);
    expect(live.etaSeconds).toBe(40);
    live.handleUpdate({ type: 'progress', progress: { runId: 1, step: 100, totalSteps: 500, stepsPerSecond: 10, paused: true } });
    expect(live.isPaused).toBe(true);
    expect(live.etaSeconds).toBeNull();
  });

  it('scrubs samples and follows the latest', async () => {
    const sample = (id: number, step: number) => ({ id, runId: 1, step, kind: 'points' as const, file: null, createdAt: '' });
    api.runsById.set(1, makeRun(1));
    api.samplesById.set(1, [sample(2, 200), sample(1, 100)]);
    const live = useLiveStore();
    await live.open(1);
    await settle();

    expect(live.shownSample?.step).toBe(200);
    expect(live.sampleImage).toBe('data:image/png;base64,sample-2');
    live.pinSample(0);
    await settle();
    expect(live.shownSample?.step).toBe(100);
    expect(live.sampleImage).toBe('data:image/png;base64,sample-1');

    live.handleUpdate({ type: 'sample', runId: 1, sample: sample(3, 300) });
    expect(live.shownSample?.step).toBe(100);
    live.pinSample(null);
    expect(live.shownSample?.step).toBe(300);
  });

  it('sends stop, pause and resume for its run', async () => {
    api.runsById.set(7, makeRun(7, { status: 'running' }));
    const live = useLiveStore();
    await live.open(7);
    await live.pause();
    await live.resume();
    await live.stop();
    expect(api.controls).toEqual([
      { action: 'pause', runId: 7 },
      { action: 'resume', runId: 7 },
      { action: 'stop', runId: 7 },
    ]);
  });

  it('says so when the run cannot load', async () => {
    const live = useLiveStore();
    await live.open(404);
    expect(live.loadError).toBe('Could not load run 404: Run 404 not found.');
  });

  it('openLatest prefers an active run', async () => {
    api.runsById.set(1, makeRun(1));
    api.runsById.set(2, makeRun(2));
    api.runsById.set(3, makeRun(3, { status: 'running' }));
    api.activeRuns = [{ runId: 3, step: 1, totalSteps: 500, stepsPerSecond: 1, paused: false }];
    const live = useLiveStore();
    expect(await live.openLatest()).toBe(3);
    api.activeRuns = [];
    expect(await live.openLatest()).toBe(3);
    api.runsById.delete(3);
    expect(await live.openLatest()).toBe(2);
  });
});

describe('run query', () => {
  const runs = [
    makeRun(1, { name: 'Baseline', tags: ['ttur'] }),
    makeRun(2, { name: 'hinge try', status: 'failed', config: { ...makeRun(2).config, loss: { kind: 'hinge', gradientPenaltyWeight: 10 } } }),
    makeRun(3, { name: 'waiting', status: 'queued', startedAt: null, endedAt: null }),
  ];

  it('filters by status, loss and search', () => {
    const query = defaultRunQuery();
    expect(queryRuns(runs, { ...query, status: 'failed' }, 0).map((run) => run.id)).toEqual([2]);
    expect(queryRuns(runs, { ...query, loss: 'ns' }, 0).map((run) => run.id)).toEqual([3, 1]);
    expect(queryRuns(runs, { ...query, search: 'TTUR' }, 0).map((run) => run.id)).toEqual([1]);
    expect(queryRuns(runs, { ...query, datasetKind: 'grid25' }, 0)).toEqual([]);
  });

  it('sorts by name both ways', () => {
    const query = { ...defaultRunQuery(), sortKey: 'name' as const, sortDirection: 'asc' as const };
    expect(queryRuns(runs, query, 0).map((run) => run.name)).toEqual(['Baseline', 'hinge try', 'waiting']);
    expect(queryRuns(runs, { ...query, sortDirection: 'desc' }, 0).map((run) => run.name)).toEqual(['waiting', 'hinge try', 'Baseline']);
  });

  it('puts runs without a duration last', () => {
    const query = { ...defaultRunQuery(), sortKey: 'duration' as const, sortDirection: 'asc' as const };
    expect(queryRuns(runs, query, 0).at(-1)?.id).toBe(3);
  });

  it('measures duration until now while running', () => {
    const running = makeRun(4, { startedAt: '2025-01-04T10:00:00.000Z', endedAt: null });
    expect(runDurationMs(running, Date.parse('2025-01-04T10:00:30.000Z'))).toBe(30_000);
    expect(runDurationMs(runs[0], 0)).toBe(60_000);
    expect(runDurationMs(runs[2], 0)).toBeNull();
  });
});

describe('history store', () => {
  it('keeps the list current from updates', async () => {
    api.runsById.set(1, makeRun(1));
    const history = useHistoryStore();
    const unsubscribe = history.subscribe();
    await history.refresh();

    api.emit({ type: 'run', run: makeRun(2, { status: 'running', step: 0 }) });
    api.emit({ type: 'progress', progress: { runId: 2, step: 40, totalSteps: 500, stepsPerSecond: 5, paused: false } });
    api.emit({ type: 'run-deleted', runId: 1 });
    expect(history.runs.map((run) => [run.id, run.step])).toEqual([[2, 40]]);
    unsubscribe();
  });

  it('renames, tags and deletes through the API', async () => {
    api.runsById.set(1, makeRun(1));
    const history = useHistoryStore();
    await history.refresh();

    expect(await history.rename(1, '  lr sweep  ')).toBe(true);
    expect(await history.setTags(1, 'a, b, a,')).toBe(true);
    expect(history.runs[0].name).toBe('lr sweep');
    expect(history.runs[0].tags).toEqual(['a', 'b']);
    expect(await history.remove(1)).toBe(true);
    expect(history.runs).toEqual([]);
    expect(api.runsById.size).toBe(0);
  });

  it('reports a failed action in words', async () => {
    const history = useHistoryStore();
    expect(await history.rename(9, 'x')).toBe(false);
    expect(history.actionError).toBe('Could not rename run 9: Run 9 not found.');
  });

  it('toggles the sort direction', () => {
    const history = useHistoryStore();
    history.sortBy('name');
    expect([history.query.sortKey, history.query.sortDirection]).toEqual(['name', 'asc']);
    history.sortBy('name');
    expect(history.query.sortDirection).toBe('desc');
  });

  it('parseTags trims and drops repeats', () => {
    expect(parseTags(' x ,y,, x')).toEqual(['x', 'y']);
  });
});
