// @vitest-environment happy-dom
// Renderer views mounted with @vue/test-utils against an in-memory WorkbenchApi (see
// renderer-fake-api.ts), because the real API needs the main process or the browser-mode
// server. happy-dom has no 2-D canvas, so the chart lifecycle test supplies a no-op context.
import { flushPromises, mount } from '@vue/test-utils';
import { Chart } from 'chart.js';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../../src/renderer/src/App.vue';
import LineChart from '../../src/renderer/src/components/LineChart.vue';
import type { MetricSeries } from '../../src/renderer/src/charts/display-series';
import { CHART_LINES } from '../../src/renderer/src/charts/metric-lines';
import { useNavigationStore } from '../../src/renderer/src/stores/navigation';
import { VALIDATION_DELAY_MS } from '../../src/renderer/src/stores/setup';
import { shortcutAction } from '../../src/renderer/src/views/shortcuts';
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
  vi.restoreAllMocks();
  document.body.innerHTML = '';
});

function mountApp() {
  return mount(App, { attachTo: document.body });
}

function seedRunningRun(): void {
  api.runsById.set(5, makeRun(5, { status: 'running', step: 30, name: 'ring run' }));
  api.activeRuns = [{ runId: 5, step: 30, totalSteps: 500, stepsPerSecond: 12.5, paused: false }];
  api.metricsById.set(5, [
    { step: 10, name: 'lossD', value: 1.2 },
    { step: 20, name: 'lossD', value: 1.1 },
    { step: 30, name: 'lossD', value: 1.0 },
    { step: 10, name: 'lossG', value: 0.7 },
  ]);
  api.samplesById.set(5, [{ id: 9, runId: 5, step: 20, kind: 'points', file: '/tmp/s.png', createdAt: '' }]);
}

describe('shortcutAction', () => {
  const key = (value: string, extra: Partial<Parameters<typeof shortcutAction>[0]> = {}) => ({
    key: value,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    inEditable: false,
    ...extra,
  });

  it('maps digits to views anywhere but in fields', () => {
    expect(shortcutAction(key('2'), 'setup')).toBe('go-live');
    expect(shortcutAction(key('3', { inEditable: true }), 'setup')).toBeNull();
  });

  it('starts with Ctrl+Enter only in setup', () => {
    expect(shortcutAction(key('Enter', { ctrlKey: true, inEditable: true }), 'setup')).toBe('start');
    expect(shortcutAction(key('Enter', { metaKey: true }), 'live')).toBeNull();
  });

  it('stops with S only in live', () => {
    expect(shortcutAction(key('s'), 'live')).toBe('stop');
    expect(shortcutAction(key('s'), 'history')).toBeNull();
    expect(shortcutAction(key('s', { ctrlKey: true }), 'live')).toBeNull();
  });
});

describe('App', () => {
  it('renders the setup controls the end-to-end test uses', async () => {
    const wrapper = mountApp();
    await flushPromises();

    for (const id of ['nav-setup', 'nav-live', 'nav-history', 'setup-start']) {
      expect(wrapper.find(`[data-testid="${id}"]`).exists(), id).toBe(true);
    }
    expect(wrapper.find('[data-testid="setup-dataset"]').element.tagName).toBe('SELECT');
    expect(wrapper.find('[data-testid="setup-model"]').element.tagName).toBe('SELECT');
    expect(wrapper.find('[data-testid="setup-loss"]').element.tagName).toBe('SELECT');
    expect(wrapper.find('[data-testid="setup-steps"]').element.tagName).toBe('INPUT');
    wrapper.unmount();
  });

  it('shows a field issue and disables start', async () => {
    vi.useFakeTimers();
    const wrapper = mountApp();
    await wrapper.find('[data-testid="setup-steps"]').setValue('-5');
    await vi.advanceTimersByTimeAsync(VALIDATION_DELAY_MS);
    await flushPromises();

    const field = wrapper.find('[data-field="steps"]');
    expect(field.find('[role="alert"]').text()).toMatch(/greater than 0/);
    expect(wrapper.find('[data-testid="setup-start"]').attributes('disabled')).toBeDefined();

    await wrapper.find('[data-testid="setup-steps"]').setValue('40');
    await vi.advanceTimersByTimeAsync(VALIDATION_DELAY_MS);
    await flushPromises();
    expect(wrapper.find('[data-testid="setup-start"]').attributes('disabled')).toBeUndefined();
    vi.useRealTimers();
    wrapper.unmount();
  });

  it('Ctrl+Enter starts and opens the live view', async () => {
    vi.useFakeTimers();
    const wrapper = mountApp();
    await vi.advanceTimersByTimeAsync(VALIDATION_DELAY_MS);
    await flushPromises();

    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true }));
    await flushPromises();
    expect(api.started).toHaveLength(1);
    expect(useNavigationStore().view).toBe('live');
    expect(useNavigationStore().liveRunId).toBe(100);
    vi.useRealTimers();
    wrapper.unmount();
  });

  it('live view shows progress, points and the sample', async () => {
    seedRunningRun();
    useNavigationStore().openRun(5);
    const wrapper = mountApp();
    await flushPromises();

    const progress = wrapper.find('[data-testid="live-progress"]');
    expect(progress.attributes('data-step')).toBe('30');
    expect(progress.text()).toContain('step 30 / 500');
    expect(progress.text()).toContain('12.5 steps/s');
    expect(progress.text()).toContain('ETA 38 s');
    expect(wrapper.find('[data-testid="live-loss-chart"]').attributes('data-points')).toBe('3');
    const image = wrapper.find('[data-testid="live-scatter"]');
    expect(image.attributes('data-step')).toBe('20');
    expect(image.attributes('src')).toBe('data:image/png;base64,sample-9');

    api.emit({ type: 'metrics', runId: 5, points: [{ step: 40, name: 'lossD', value: 0.9 }] });
    api.emit({ type: 'sample', runId: 5, sample: { id: 10, runId: 5, step: 40, kind: 'points', file: null, createdAt: '' } });
    await flushPromises();
    expect(wrapper.find('[data-testid="live-loss-chart"]').attributes('data-points')).toBe('4');
    expect(wrapper.find('[data-testid="live-scatter"]').attributes('data-step')).toBe('40');

    await wrapper.find('[data-testid="live-stop"]').trigger('click');
    expect(api.controls).toEqual([{ action: 'stop', runId: 5 }]);
    wrapper.unmount();
    expect(api.listenerCount()).toBe(0);
  });

  it('live view explains a failed run', async () => {
    api.runsById.set(6, makeRun(6, { status: 'failed', error: 'Loss became NaN at step 120.' }));
    useNavigationStore().openRun(6);
    const wrapper = mountApp();
    await flushPromises();

    expect(wrapper.find('[data-testid="live-errors"]').text()).toContain('The run failed: Loss became NaN at step 120.');
    expect(wrapper.find('[data-testid="live-stop"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('history lists, opens and deletes runs', async () => {
    api.runsById.set(1, makeRun(1, { status: 'interrupted' }));
    api.runsById.set(2, makeRun(2));
    const wrapper = mountApp();
    document.dispatchEvent(new KeyboardEvent('keydown', { key: '3' }));
    await flushPromises();

    const row = wrapper.find('[data-testid="history-row-1"]');
    expect(row.attributes('data-status')).toBe('interrupted');
    expect(row.text()).toContain('Interrupted');

    await wrapper.find('[data-testid="history-delete-2"]').trigger('click');
    expect(useNavigationStore().view).toBe('history');
    await wrapper.find('[data-testid="confirm-ok"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid="history-row-2"]').exists()).toBe(false);
    expect(api.runsById.has(2)).toBe(false);

    await wrapper.find('[data-testid="history-row-1"]').trigger('click');
    expect(useNavigationStore().view).toBe('live');
    expect(useNavigationStore().liveRunId).toBe(1);
    wrapper.unmount();
  });
});

describe('LineChart', () => {
  it('destroys its Chart on unmount', async () => {
    // A context whose every method is a no-op; Chart.js needs only measureText to return a width.
    const context = new Proxy({} as Record<string | symbol, unknown>, {
      get(target, property) {
        if (property in target) return target[property];
        // Chart.js treats an object with `length` as a list of canvases, so those stay undefined.
        if (typeof property !== 'string' || property === 'length' || /^\d+$/.test(property)) return undefined;
        if (property === 'measureText') return () => ({ width: 10 });
        if (property === 'getTransform') return () => ({ a: 1, b: 0, c: 0, d: 1, e: 0, f: 0 });
        return () => undefined;
      },
      set(target, property, value) {
        target[property] = value;
        return true;
      },
    });
    // getContext is overloaded per context id; the stand-in serves the '2d' overload Chart.js uses.
    const fakeGetContext = function (this: HTMLCanvasElement) {
      (context as Record<string, unknown>).canvas = this;
      return context as unknown as CanvasRenderingContext2D;
    };
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(fakeGetContext as unknown as HTMLCanvasElement['getContext']);

    const series = new Map<string, MetricSeries>([['lossD', { steps: [1, 2, 3], values: [3, 2, 1] }]]);
    const wrapper = mount(LineChart, {
      props: { lines: CHART_LINES.loss, series, revision: 1, smoothing: 0.5, logScale: false },
      attachTo: document.body,
    });
    await flushPromises();

    const charts = Object.values(Chart.instances);
    expect(charts).toHaveLength(1);
    // With smoothing, each series is drawn raw (faint) and smoothed.
    expect(charts[0].data.datasets.map((dataset) => dataset.label)).toEqual(['D loss (raw)', 'D loss']);
    wrapper.unmount();
    expect(Object.keys(Chart.instances)).toHaveLength(0);
  });
});
