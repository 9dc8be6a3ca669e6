// @vitest-environment happy-dom
// The renderer's balance and mode-collapse views: the verdict banner and timeline strip, the
// collapse panel, chart markers, EMA samples, the history's verdict column and the setup
// form's balancing fields. Components mount with @vue/test-utils against an in-memory
// WorkbenchApi (see renderer-fake-api.ts), because the real API needs the main process or the
// browser-mode server. happy-dom has no 2-D canvas, so line charts render without a Chart.
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseRunConfig } from '../../src/shared/config';
import type { RunEvent } from '../../src/shared/run';
import { VERDICT_CODES, type Verdict } from '../../src/shared/verdict';
import { findPreset } from '../../src/shared/presets';
import { latestHistogram, latestValue } from '../../src/renderer/src/charts/collapse-indicators';
import type { MetricSeries } from '../../src/renderer/src/charts/display-series';
import { markersFromEvents } from '../../src/renderer/src/charts/event-markers';
import { BALANCE_GROUPS, extraMetricLines } from '../../src/renderer/src/charts/metric-lines';
import { verdictTimeline } from '../../src/renderer/src/charts/verdict-timeline';
import { binName } from '../../src/renderer/src/components/class-names';
import CollapsePanel from '../../src/renderer/src/components/CollapsePanel.vue';
import MetricGroupChart from '../../src/renderer/src/components/MetricGroupChart.vue';
import BalancingSection from '../../src/renderer/src/components/setup/BalancingSection.vue';
import VerdictBanner from '../../src/renderer/src/components/VerdictBanner.vue';
import VerdictTimeline from '../../src/renderer/src/components/VerdictTimeline.vue';
import { lastVerdict, useHistoryStore } from '../../src/renderer/src/stores/history';
import { useLiveStore } from '../../src/renderer/src/stores/live';
import { buildConfigInput } from '../../src/renderer/src/stores/setup-form';
import { VALIDATION_DELAY_MS, useSetupStore } from '../../src/renderer/src/stores/setup';
import { balancingSummary } from '../../src/renderer/src/views/balancing-summary';
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
  document.body.innerHTML = '';
});

function seriesOf(entries: Record<string, [number, number][]>): Map<string, MetricSeries> {
  const map = new Map<string, MetricSeries>();
  for (const [name, points] of Object.entries(entries)) {
    map.set(name, { steps: points.map(([step]) => step), values: points.map(([, value]) => value) });
  }
  return map;
}

function event(id: number, step: number, kind: RunEvent['kind'], message: string, data: Record<string, unknown> | null = null): RunEvent {
  return { id, runId: 1, step, kind, message, data, createdAt: '' };
}

const D_DOMINATING: Verdict = {
  step: 400,
  id: 'd-dominating',
  message: 'D is winning: it classifies 99% of real examples correctly.',
  evidence: { window: [310, 400], accReal: 0.98765, accFake: 0.97, gradNormRatio: 12 },
  suggestions: [
    { id: 'lower-lr-d', text: "Lower D's learning rate from 1e-3 to 5e-4.", patch: { optimizerD: { learningRate: 5e-4 } } },
    { id: 'smooth-real-labels', text: 'Smooth the real labels to 0.9.' },
  ],
};

describe('verdictTimeline', () => {
  it('fits 100,000 codes into 500 columns', () => {
    const length = 100_000;
    const steps = Array.from({ length }, (_, i) => (i + 1) * 10);
    const codes = Array.from({ length }, (_, i) => (i < 50_000 ? VERDICT_CODES.balanced : VERDICT_CODES['d-dominating']));
    codes[70_000] = VERDICT_CODES.diverged;

    const segments = verdictTimeline(steps, codes, 500);

    // Each column covers 200 entries; entry 70,000 opens column 350.
    expect(segments).toEqual([
      { code: VERDICT_CODES.balanced, column: 0, width: 250, firstStep: 10, lastStep: 500_000 },
      { code: VERDICT_CODES['d-dominating'], column: 250, width: 100, firstStep: 500_010, lastStep: 700_000 },
      { code: VERDICT_CODES.diverged, column: 350, width: 1, firstStep: 700_010, lastStep: 702_000 },
      { code: VERDICT_CODES['d-dominating'], column: 351, width: 149, firstStep: 702_010, lastStep: 1_000_000 },
    ]);
  });

  it('takes the most frequent code per column', () => {
    const codes = [1, 2, 2, 1, 1, 1];
    const segments = verdictTimeline([1, 2, 3, 4, 5, 6], codes, 2);

    expect(segments.map((segment) => segment.code)).toEqual([2, 1]);
  });

  it('breaks ties towards the more severe code', () => {
    const segments = verdictTimeline([1, 2], [VERDICT_CODES.balanced, VERDICT_CODES.oscillating], 1);

    expect(segments).toEqual([{ code: VERDICT_CODES.oscillating, column: 0, width: 1, firstStep: 1, lastStep: 2 }]);
  });

  it('gives mode collapse its column against a majority', () => {
    const codes = [1, 1, 1, VERDICT_CODES['mode-collapse'], 1, 1, 1, 1];
    const segments = verdictTimeline([1, 2, 3, 4, 5, 6, 7, 8], codes, 2);

    expect(segments.map((segment) => segment.code)).toEqual([VERDICT_CODES['mode-collapse'], 1]);
  });

  it('uses one column per entry for short runs', () => {
    const segments = verdictTimeline([10, 20, 30], [0, 1, 1], 800);

    expect(segments).toEqual([
      { code: 0, column: 0, width: 1, firstStep: 10, lastStep: 10 },
      { code: 1, column: 1, width: 2, firstStep: 20, lastStep: 30 },
    ]);
  });

  it('rejects mismatched lengths and bad column counts', () => {
    expect(() => verdictTimeline([1, 2], [1], 10)).toThrow('one step per code, but got 2 steps and 1 codes');
    expect(() => verdictTimeline([1], [1], 0)).toThrow('Invalid column count 0');
  });
});

describe('VerdictBanner', () => {
  it('shows label, message, evidence and suggestions', () => {
    const wrapper = mount(VerdictBanner, { props: { verdict: D_DOMINATING, active: true } });

    expect(wrapper.attributes('data-verdict')).toBe('d-dominating');
    expect(wrapper.classes()).toContain('verdict-banner--imbalance');
    expect(wrapper.find('[data-testid="live-verdict-label"]').text()).toBe('D dominating');
    expect(wrapper.text()).toContain('D is winning: it classifies 99% of real examples correctly.');
    expect(wrapper.text()).toContain('since step 400');

    const evidence = wrapper.find('[data-testid="live-verdict-evidence"]').text();
    expect(evidence).toContain('steps 310–400');
    expect(evidence).toContain('accReal0.988');
    expect(evidence).toContain('gradNormRatio12');

    const suggestions = wrapper.findAll('[data-testid="live-verdict-suggestions"] li');
    expect(suggestions.map((item) => item.attributes('data-suggestion'))).toEqual(['lower-lr-d', 'smooth-real-labels']);
    expect(suggestions[0].text()).toBe("Lower D's learning rate from 1e-3 to 5e-4.");
  });

  it('reads warming up before the first verdict', () => {
    const wrapper = mount(VerdictBanner, { props: { verdict: null, active: true } });

    expect(wrapper.attributes('data-verdict')).toBe('warming-up');
    expect(wrapper.classes()).toContain('verdict-banner--pending');
    expect(wrapper.text()).toContain('Not enough logged steps yet for a verdict.');
    expect(wrapper.find('[data-testid="live-verdict-suggestions"]').exists()).toBe(false);
  });

  it('colours each tone', () => {
    const tones = { balanced: 'good', oscillating: 'trouble', diverged: 'failure', 'mode-collapse': 'failure' } as const;
    for (const [id, tone] of Object.entries(tones)) {
      const wrapper = mount(VerdictBanner, { props: { verdict: { ...D_DOMINATING, id: id as Verdict['id'] }, active: false } });
      expect(wrapper.classes(), id).toContain(`verdict-banner--${tone}`);
      expect(wrapper.text(), id).toContain('final verdict, since step 400');
    }
  });
});

describe('VerdictTimeline', () => {
  it('draws one rect per segment with hover text', () => {
    const series = seriesOf({ verdictCode: [[10, 0], [20, 1], [30, 1], [40, 2]] });
    const wrapper = mount(VerdictTimeline, { props: { series, revision: 1, columns: 100 } });

    const rects = wrapper.findAll('rect');
    expect(rects.map((rect) => rect.attributes('data-verdict'))).toEqual(['warming-up', 'balanced', 'd-dominating']);
    expect(rects.map((rect) => rect.find('title').text())).toEqual(['step 10: Warming up', 'steps 20–30: Balanced', 'step 40: D dominating']);
    expect(rects[1].attributes('width')).toBe('2');
    expect(wrapper.find('svg').attributes('viewBox')).toBe('0 0 4 1');
    expect(wrapper.text()).toContain('Mode collapse');
  });

  it('says so before the first code', () => {
    const wrapper = mount(VerdictTimeline, { props: { series: new Map(), revision: 0 } });

    expect(wrapper.attributes('data-segments')).toBe('0');
    expect(wrapper.text()).toContain('No verdicts logged yet.');
  });
});

describe('collapse indicators', () => {
  it('latestHistogram counts bins missing at the last evaluation as 0', () => {
    const series = seriesOf({
      'modeCount.0': [[250, 10], [500, 30]],
      'modeCount.1': [[250, 5]],
      'modeCount.10': [[500, 7]],
      modesCovered: [[500, 2]],
    });

    expect(latestHistogram(series, 'modeCount.')).toEqual({
      step: 500,
      bins: [
        { index: 0, count: 30 },
        { index: 1, count: 0 },
        { index: 10, count: 7 },
      ],
    });
    expect(latestHistogram(series, 'classCount.')).toEqual({ step: null, bins: [] });
  });

  it('latestValue returns null for absent metrics', () => {
    const series = seriesOf({ reverseKL: [[250, 2.079], [500, 0.5]] });

    expect(latestValue(series, 'reverseKL')).toBe(0.5);
    expect(latestValue(series, 'modesCovered')).toBeNull();
  });

  it('binName names Fashion-MNIST classes and mixture modes', () => {
    expect(binName({ kind: 'fashion-mnist', split: 'train' }, 0)).toBe('T-shirt/top');
    expect(binName({ kind: 'fashion-mnist', split: 'train' }, 9)).toBe('Ankle boot');
    expect(binName({ kind: 'ring8', modes: 8, radius: 2, std: 0.02 }, 3)).toBe('mode 3');
    expect(binName({ kind: 'idx', imagesPath: '/data/x.gz' }, 2)).toBe('class 2');
  });
});

describe('CollapsePanel', () => {
  it('shows modes covered, bars and the alarm of a ring8 run', () => {
    const run = makeRun(1);
    const series = seriesOf({
      modesCovered: [[250, 8], [500, 5]],
      modesTotal: [[250, 8], [500, 8]],
      highQualityFraction: [[500, 0.4567]],
      reverseKL: [[500, 0.384]],
      diversity: [[500, 0.968]],
      collapseAlarm: [[250, 0], [500, 1]],
      evalMs: [[250, 74], [500, 223]],
      'modeCount.0': [[500, 300]],
      'modeCount.1': [[500, 150]],
    });
    const events = [event(1, 500, 'collapse', 'Possible mode collapse at step 500: modes covered fell to 5 of 8 from a maximum of 8.')];
    const wrapper = mount(CollapsePanel, { props: { run, series, revision: 1, events } });

    expect(wrapper.attributes('data-kind')).toBe('modes');
    expect(wrapper.attributes('data-alarm')).toBe('active');
    expect(wrapper.find('[data-testid="live-modes-covered"]').text()).toBe('Modes covered5 of 8');
    expect(wrapper.text()).toContain('45.7%');
    expect(wrapper.text()).toContain('2 evaluations, latest at step 500, last evaluation 223 ms');
    expect(wrapper.find('[data-testid="live-collapse-alarm"]').text()).toBe(
      'Alarm: Possible mode collapse at step 500: modes covered fell to 5 of 8 from a maximum of 8.',
    );

    const bars = wrapper.findAll('[data-testid="live-collapse-histogram"] li');
    expect(bars.map((bar) => bar.attributes('title'))).toEqual(['mode 0: 300 (66.7%)', 'mode 1: 150 (33.3%)']);
    expect(bars[1].find('.bars__bar').attributes('style')).toContain('width: 50%');
  });

  it('names classes and shows the class metrics of a Fashion-MNIST run', () => {
    const parsed = parseRunConfig({ dataset: { kind: 'fashion-mnist' }, model: { architecture: 'dcgan' } });
    if (!parsed.ok) throw new Error('the Fashion-MNIST config must parse');
    const run = makeRun(2, { config: parsed.config });
    const series = seriesOf({
      classifierTestAccuracy: [[0, 0.9087]],
      classesCovered: [[50, 8]],
      classesTotal: [[50, 10]],
      classKL: [[50, 0.739]],
      classifierFrechetDistance: [[50, 110.914]],
      precision: [[50, 0.78]],
      recall: [[50, 0]],
      ndb: [[50, 19]],
      ndbBins: [[50, 20]],
      collapseAlarm: [[50, 0]],
      evalMs: [[50, 2120]],
      'classCount.0': [[50, 128]],
      'classCount.9': [[50, 49]],
    });
    const wrapper = mount(CollapsePanel, { props: { run, series, revision: 1, events: [] } });

    expect(wrapper.attributes('data-kind')).toBe('classes');
    expect(wrapper.attributes('data-alarm')).toBe('clear');
    expect(wrapper.find('[data-testid="live-classes-covered"]').text()).toBe('Classes covered8 of 10');
    expect(wrapper.find('[data-testid="live-classifier-accuracy"]').text()).toBe('Classifier accuracy90.9%');
    expect(wrapper.text()).toContain('110.91');
    expect(wrapper.text()).toContain('0.78 / 0');
    expect(wrapper.text()).toContain('19 of 20 bins');
    expect(wrapper.text()).toContain('last evaluation 2.1 s');
    expect(wrapper.findAll('.bars__name').map((name) => name.text())).toEqual(['T-shirt/top', 'Ankle boot']);
  });

  it('says when nothing was evaluated yet', () => {
    const wrapper = mount(CollapsePanel, { props: { run: makeRun(3), series: new Map(), revision: 0, events: [] } });

    expect(wrapper.attributes('data-alarm')).toBe('none');
    expect(wrapper.text()).toContain('Not evaluated yet; the run evaluates every 250 steps.');
    expect(wrapper.text()).toContain('No evaluation yet.');
  });
});

describe('chart lines and markers', () => {
  it('extraMetricLines leaves out verdicts, histograms and panel metrics', () => {
    const names = ['lossD', 'verdictCode', 'modeCount.3', 'classCount.0', 'collapseAlarm', 'reverseKL', 'rt', 'lrD', 'dSaturated', 'gradNormRatio'];

    expect(extraMetricLines(names).map((line) => line.name)).toEqual(['dSaturated', 'gradNormRatio']);
  });

  it('markersFromEvents keeps controller and collapse events in step order', () => {
    const events = [
      event(1, 720, 'controller', 'raised nD', { controller: 'step-ratio', knob: 'nD', from: 0.5, to: 1, reason: 'D is losing' }),
      event(2, 500, 'collapse', 'Possible mode collapse at step 500.'),
      event(3, 30, 'verdict', 'Balanced.'),
      event(4, 0, 'warning', 'Batch size is small.'),
    ];

    expect(markersFromEvents(events)).toEqual([
      { step: 500, kind: 'collapse', label: 'Possible mode collapse at step 500.' },
      { step: 720, kind: 'controller', label: 'raised nD' },
    ]);
  });

  it('learning-rate chart hides a constant rate', () => {
    const group = BALANCE_GROUPS.find((candidate) => candidate.id === 'learning-rate');
    if (!group) throw new Error('the learning-rate group must exist');
    const props = { group, revision: 1, smoothing: 0.6, logScale: false };

    const constant = seriesOf({ lrD: [[10, 0.001], [20, 0.0010000000000000002]] });
    expect(mount(MetricGroupChart, { props: { ...props, series: constant } }).find('[data-testid="live-learning-rate-chart"]').exists()).toBe(false);

    const decaying = seriesOf({ lrD: [[10, 0.001], [20, 0.0005]] });
    expect(mount(MetricGroupChart, { props: { ...props, series: decaying } }).find('[data-testid="live-learning-rate-chart"]').exists()).toBe(true);
  });
});

describe('live store balance state', () => {
  it('takes the verdict from events and live updates', async () => {
    api.runsById.set(1, makeRun(1, { status: 'running' }));
    api.eventsById.set(1, [
      event(1, 30, 'verdict', 'Balanced over steps 10–30.', { id: 'balanced', evidence: { window: [10, 30] }, suggestions: [] }),
      event(2, 0, 'warning', 'The batch is small for 25 modes.'),
    ]);
    const live = useLiveStore();
    const unsubscribe = live.subscribe();
    await live.open(1);

    expect(live.verdict?.id).toBe('balanced');
    expect(live.warningEvents.map((warning) => warning.message)).toEqual(['The batch is small for 25 modes.']);

    api.emit({
      type: 'event',
      runId: 1,
      event: event(3, 400, 'verdict', D_DOMINATING.message, { id: 'd-dominating', evidence: D_DOMINATING.evidence, suggestions: D_DOMINATING.suggestions }),
    });
    api.emit({ type: 'event', runId: 1, event: event(4, 410, 'controller', 'lowered nD', { controller: 'step-ratio', knob: 'nD', from: 1, to: 0.5, reason: 'D is winning' }) });

    expect(live.verdict).toEqual(D_DOMINATING);
    expect(live.verdicts.map((verdict) => verdict.id)).toEqual(['balanced', 'd-dominating']);
    expect(live.markers).toEqual([{ step: 410, kind: 'controller', label: 'lowered nD' }]);
    unsubscribe();
  });

  it('pairs the EMA sample with the shown step', async () => {
    api.runsById.set(1, makeRun(1));
    api.samplesById.set(1, [
      { id: 1, runId: 1, step: 100, kind: 'points', file: '/tmp/1.png', createdAt: '' },
      { id: 2, runId: 1, step: 100, kind: 'points-ema', file: '/tmp/2.png', createdAt: '' },
      { id: 3, runId: 1, step: 200, kind: 'points', file: '/tmp/3.png', createdAt: '' },
    ]);
    const live = useLiveStore();
    await live.open(1);
    await flushPromises();

    expect(live.samples.map((sample) => sample.id)).toEqual([1, 3]);
    expect(live.shownSample?.id).toBe(3);
    expect(live.shownEmaSample).toBeNull();

    live.pinSample(0);
    await flushPromises();
    expect(live.shownEmaSample?.id).toBe(2);
    expect(live.emaSampleImage).toBe('data:image/png;base64,sample-2');
    expect(live.sampleImage).toBe('data:image/png;base64,sample-1');
  });
});

describe('history verdicts', () => {
  it('lastVerdict reads the highest step', () => {
    const points = [
      { step: 20, name: 'verdictCode', value: VERDICT_CODES['g-dominating'] },
      { step: 10, name: 'verdictCode', value: VERDICT_CODES.balanced },
      { step: 30, name: 'lossD', value: 1 },
    ];

    expect(lastVerdict(points)).toBe('g-dominating');
    expect(lastVerdict([{ step: 10, name: 'lossD', value: 1 }])).toBeUndefined();
  });

  it('fetches each run once and follows live codes', async () => {
    api.runsById.set(1, makeRun(1));
    api.runsById.set(2, makeRun(2));
    api.metricsById.set(1, [{ step: 500, name: 'verdictCode', value: VERDICT_CODES.oscillating }]);
    const metricsCalls = vi.spyOn(api.runs, 'metrics');
    const history = useHistoryStore();
    await history.refresh();

    await history.loadVerdicts(history.runs);
    await history.loadVerdicts(history.runs);
    expect(metricsCalls).toHaveBeenCalledTimes(2);
    expect(metricsCalls).toHaveBeenCalledWith(1, { names: ['verdictCode'], sinceStep: 480 });
    expect(history.verdicts.get(1)).toBe('oscillating');
    expect(history.verdicts.get(2)).toBeNull();

    const unsubscribe = history.subscribe();
    api.emit({ type: 'metrics', runId: 2, points: [{ step: 510, name: 'verdictCode', value: VERDICT_CODES.diverged }] });
    expect(history.verdicts.get(2)).toBe('diverged');
    unsubscribe();
  });

  it('keeps the reason of a failed fetch', async () => {
    api.runsById.set(1, makeRun(1));
    vi.spyOn(api.runs, 'metrics').mockRejectedValue(new Error('server gone'));
    const history = useHistoryStore();
    await history.refresh();
    await history.loadVerdicts(history.runs);

    expect(history.verdicts.has(1)).toBe(false);
    expect(history.verdictErrors.get(1)).toBe('Could not load the last verdict: server gone');
  });
});

describe('setup balancing fields', () => {
  async function settle(): Promise<void> {
    await vi.advanceTimersByTimeAsync(VALIDATION_DELAY_MS);
    await flushPromises();
  }

  it('shows loss-specific fields only for their losses', async () => {
    const setup = useSetupStore();
    const wrapper = mount(BalancingSection);
    const has = (testid: string): boolean => wrapper.find(`[data-testid="${testid}"]`).exists();

    expect([has('setup-real-label'), has('setup-wgan-clip')]).toEqual([true, false]);
    setup.form.loss.kind = 'wgan';
    await flushPromises();
    expect([has('setup-real-label'), has('setup-wgan-clip')]).toEqual([false, true]);
    setup.form.loss.kind = 'hinge';
    await flushPromises();
    expect([has('setup-real-label'), has('setup-wgan-clip')]).toEqual([false, false]);
  });

  it('shows penalty, noise and controller fields once turned on', async () => {
    const setup = useSetupStore();
    const wrapper = mount(BalancingSection);
    const has = (testid: string): boolean => wrapper.find(`[data-testid="${testid}"]`).exists();
    expect([has('setup-penalty-weight'), has('setup-noise-schedule'), has('setup-controller-target'), has('setup-fm-layer')]).toEqual([false, false, false, false]);

    await wrapper.find('[data-testid="setup-penalty-kind"]').setValue('r1');
    await wrapper.find('[data-testid="setup-noise-std"]').setValue('0.1');
    await wrapper.find('[data-testid="setup-controller"]').setValue('rt');
    await wrapper.find('[data-testid="setup-fm-weight"]').setValue('1');

    expect([has('setup-penalty-weight'), has('setup-controller-target'), has('setup-fm-layer')]).toEqual([true, true, true]);
    // The r_t controller sets the noise itself, so the schedule stays hidden.
    expect(has('setup-noise-schedule')).toBe(false);
    expect(setup.form.penalty.kind).toBe('r1');
    expect(setup.form.instanceNoise.std).toBe(0.1);
  });

  it('builds the chosen controller with its parameters', () => {
    const setup = useSetupStore();
    setup.form.controllerKind = 'step-ratio';
    setup.form.controllers['step-ratio'].high = 0.9;
    setup.form.controllers.rt.target = 0.3;

    const input = buildConfigInput(setup.form);
    expect(input.controller).toEqual({ kind: 'step-ratio', high: 0.9, low: 0.55, window: 3, maxND: 5, maxSkip: 2 });
    const parsed = parseRunConfig(input);
    expect(parsed.ok).toBe(true);

    setup.form.controllerKind = 'none';
    expect(buildConfigInput(setup.form).controller).toEqual({ kind: 'none' });
  });

  it('shows nested issues at their fields', async () => {
    vi.useFakeTimers();
    const setup = useSetupStore();
    const wrapper = mount(BalancingSection, { attachTo: document.body });
    setup.form.penalty.kind = 'r1';
    setup.form.penalty.weight = -1;
    setup.form.controllerKind = 'step-ratio';
    setup.form.controllers['step-ratio'].low = 0.9;
    await settle();

    expect(setup.issuesByField.get('penalty.weight')).toEqual(['must be at least 0']);
    expect(wrapper.find('[data-field="penalty.weight"] [role="alert"]').text()).toBe('must be at least 0');
    expect(wrapper.find('[data-field="controller.low"] [role="alert"]').text()).toBe('must be below controller.high');
    expect(setup.canStart).toBe(false);
    wrapper.unmount();
  });

  it('flags feature matching without any G loss', async () => {
    vi.useFakeTimers();
    const setup = useSetupStore();
    const wrapper = mount(BalancingSection, { attachTo: document.body });
    setup.form.featureMatching.weight = 0;
    setup.form.featureMatching.adversarialWeight = 0;
    await settle();

    expect(wrapper.find('[data-issue-field="featureMatching"]').text()).toContain('both 0');
    wrapper.unmount();
  });

  it('presets set and clear the balancing fields', () => {
    const setup = useSetupStore();
    setup.choosePreset('r1-lazy');
    expect(setup.form.penalty).toEqual({ kind: 'r1', weight: 10, every: 16 });
    expect(setup.activePreset?.id).toBe('r1-lazy');

    setup.choosePreset('rt-noise');
    expect(setup.form.penalty.kind).toBe('none');
    expect(setup.form.controllerKind).toBe('rt');
    expect(setup.form.controllers.rt).toEqual({ target: 0.6, interval: 4, rampSteps: 500 });
    expect(setup.activePreset?.id).toBe('rt-noise');

    setup.choosePreset('sn-gan');
    expect(setup.form.controllerKind).toBe('none');
    expect(setup.form.spectralNorm).toEqual({ discriminator: true, generator: false });
    expect(setup.activePreset?.id).toBe('sn-gan');
    // Editing the form must not change the preset it came from.
    setup.form.spectralNorm.generator = true;
    expect(findPreset('sn-gan').settings.spectralNorm.generator).toBe(false);
    expect(setup.activePreset).toBeNull();
  });
});

describe('balancingSummary', () => {
  it('lists the techniques a config turns on', () => {
    const parsed = parseRunConfig({
      loss: { kind: 'ns' },
      realLabel: 0.9,
      penalty: { kind: 'r1', weight: 5, every: 16 },
      spectralNorm: { discriminator: true },
      emaGenerator: { enabled: true, decay: 0.99 },
      lrSchedule: { generator: { kind: 'cosine' } },
      controller: { kind: 'equilibrium' },
    });
    if (!parsed.ok) throw new Error('the config must parse');

    expect(balancingSummary(parsed.config)).toEqual([
      'real label 0.9',
      'R1 γ 5 every 16',
      'spectral norm D',
      'EMA G β 0.99',
      'lr G cosine',
      'controller equilibrium',
    ]);
  });

  it('is empty for the defaults', () => {
    const parsed = parseRunConfig({});
    if (!parsed.ok) throw new Error('the default config must parse');

    expect(balancingSummary(parsed.config)).toEqual([]);
  });
});
