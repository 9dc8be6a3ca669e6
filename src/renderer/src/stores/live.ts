// The run the live view shows: its record, progress, metric series, samples and events, kept
// current from the API's live updates. Metric arrays are held outside Vue's deep reactivity
// (a long run logs hundreds of thousands of values); `revision` tells charts when they grew.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { ActiveRun, LiveUpdate } from '../../../shared/api';
import { FINAL_STATUSES, type MetricPoint, type RunEvent, type RunRecord, type SampleKind, type SampleRecord } from '../../../shared/run';
import { verdictsFromEvents, type Verdict } from '../../../shared/verdict';
import type { MetricSeries } from '../charts/display-series';
import { markersFromEvents } from '../charts/event-markers';
import { getApi } from '../api';
import { errorMessage } from './error-message';
import { SampleImageCache } from './sample-image-cache';

/** Appends points to their series, skipping steps a series already has. */
export function appendMetricPoints(series: Map<string, MetricSeries>, points: readonly MetricPoint[]): number {
  let added = 0;
  for (const point of points) {
    let target = series.get(point.name);
    if (!target) {
      target = { steps: [], values: [] };
      series.set(point.name, target);
    }

    const lastStep = target.steps.length > 0 ? target.steps[target.steps.length - 1] : -Infinity;
    if (point.step <= lastStep) continue;

    target.steps.push(point.step);
    target.values.push(point.value);
    added += 1;
  }

  return added;
}

/** Whether a sample comes from the EMA generator rather than from G itself. */
export function isEmaSample(kind: SampleKind): boolean {
  return kind.endsWith('-ema');
}

export const useLiveStore = defineStore('live', () => {
  const api = getApi();
  const images = new SampleImageCache((sampleId) => api.runs.sampleImage(sampleId));

  const runId = ref<number | null>(null);
  const run = ref<RunRecord | null>(null);
  const progress = ref<ActiveRun | null>(null);
  const series = shallowRef(new Map<string, MetricSeries>());
  const revision = ref(0);
  /** G's own samples, in step order. */
  const samples = ref<SampleRecord[]>([]);
  /** The EMA generator's samples, in step order; empty when the run has no EMA generator. */
  const emaSamples = ref<SampleRecord[]>([]);
  /** Index into `samples` chosen with the slider; null follows the latest sample. */
  const pinnedSampleIndex = ref<number | null>(null);
  const sampleImage = ref<string | null>(null);
  const sampleError = ref<string | null>(null);
  const emaSampleImage = ref<string | null>(null);
  const emaSampleError = ref<string | null>(null);
  const events = ref<RunEvent[]>([]);
  const loading = ref(false);
  const loadError = ref<string | null>(null);
  const actionError = ref<string | null>(null);
  const deleted = ref(false);

  // Updates that arrive while a run loads wait here, then apply on top of what loaded.
  let pending: LiveUpdate[] | null = null;

  const isActive = computed(() => run.value !== null && !FINAL_STATUSES.includes(run.value.status));
  const isPaused = computed(() => isActive.value && progress.value?.paused === true);
  const step = computed(() => Math.max(progress.value?.step ?? 0, run.value?.step ?? 0));
  const totalSteps = computed(() => progress.value?.totalSteps ?? run.value?.config.steps ?? 0);
  const stepsPerSecond = computed(() => (isActive.value ? (progress.value?.stepsPerSecond ?? null) : null));
  /** Seconds left at the current speed; null when unknown or not running. */
  const etaSeconds = computed(() => {
    const speed = stepsPerSecond.value;
    if (speed === null || speed <= 0 || isPaused.value) return null;
    return Math.max(0, totalSteps.value - step.value) / speed;
  });

  const sampleIndex = computed(() =>
    pinnedSampleIndex.value === null ? samples.value.length - 1 : Math.min(pinnedSampleIndex.value, samples.value.length - 1),
  );
  const shownSample = computed(() => samples.value[sampleIndex.value] ?? null);
  /** Finds the EMA generator's sample taken at the shown sample's step; null when there is none. */
  const shownEmaSample = computed(() => {
    const step = shownSample.value?.step;
    return step === undefined ? null : (emaSamples.value.find((sample) => sample.step === step) ?? null);
  });

  const errorEvents = computed(() => events.value.filter((event) => event.kind === 'error'));
  const warningEvents = computed(() => events.value.filter((event) => event.kind === 'warning'));
  /** Verdict changes, oldest first. */
  const verdicts = computed<Verdict[]>(() => verdictsFromEvents(events.value));
  /** The latest verdict; null while the run is warming up. */
  const verdict = computed<Verdict | null>(() => verdicts.value[verdicts.value.length - 1] ?? null);
  const markers = computed(() => markersFromEvents(events.value));

  function reset(id: number | null): void {
    runId.value = id;
    run.value = null;
    progress.value = null;
    series.value = new Map();
    revision.value += 1;
    samples.value = [];
    emaSamples.value = [];
    pinnedSampleIndex.value = null;
    sampleImage.value = null;
    sampleError.value = null;
    emaSampleImage.value = null;
    emaSampleError.value = null;
    events.value = [];
    loadError.value = null;
    actionError.value = null;
    deleted.value = false;
  }

  /** Loads a run's record, stored metrics, samples and events, then follows its live updates. */
  async function open(id: number): Promise<void> {
    reset(id);
    loading.value = true;
    pending = [];
    try {
      const [record, points, sampleList, eventList, active] = await Promise.all([
        api.runs.get(id),
        api.runs.metrics(id),
        api.runs.samples(id),
        api.runs.events(id),
        api.training.active(),
      ]);
      if (runId.value !== id) return;

      run.value = record;
      progress.value = active.find((entry) => entry.runId === id) ?? null;
      const loaded = new Map<string, MetricSeries>();
      appendMetricPoints(loaded, [...points].sort((a, b) => a.step - b.step));
      series.value = loaded;
      revision.value += 1;
      const sorted = [...sampleList].sort((a, b) => a.step - b.step);
      samples.value = sorted.filter((sample) => !isEmaSample(sample.kind));
      emaSamples.value = sorted.filter((sample) => isEmaSample(sample.kind));
      events.value = [...eventList].sort((a, b) => a.id - b.id);
    } catch (error) {
      if (runId.value === id) loadError.value = `Could not load run ${id}: ${errorMessage(error)}`;
    } finally {
      if (runId.value === id) {
        loading.value = false;
        const waiting = pending ?? [];
        pending = null;
        waiting.forEach(applyUpdate);
      }
    }
  }

  /** Opens the newest active run, or the newest run; returns its id, or null with no runs. */
  async function openLatest(): Promise<number | null> {
    try {
      const [active, runs] = await Promise.all([api.training.active(), api.runs.list()]);
      const newest = [...runs].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
      const id = active.length > 0 ? active[active.length - 1].runId : (newest?.id ?? null);
      if (id !== null) await open(id);
      return id;
    } catch (error) {
      loadError.value = `Could not list runs: ${errorMessage(error)}`;
      return null;
    }
  }

  function applyUpdate(update: LiveUpdate): void {
    switch (update.type) {
      case 'run':
        if (update.run.id === runId.value) run.value = update.run;
        break;
      case 'progress':
        if (update.progress.runId === runId.value) progress.value = update.progress;
        break;
      case 'metrics':
        if (update.runId === runId.value && appendMetricPoints(series.value, update.points) > 0) revision.value += 1;
        break;
      case 'sample': {
        if (update.runId !== runId.value) break;
        const list = isEmaSample(update.sample.kind) ? emaSamples : samples;
        if (!list.value.some((sample) => sample.id === update.sample.id)) list.value.push(update.sample);
        break;
      }
      case 'event':
        if (update.runId === runId.value && !events.value.some((event) => event.id === update.event.id)) {
          events.value.push(update.event);
        }
        break;
      case 'run-deleted':
        if (update.runId === runId.value) deleted.value = true;
        break;
    }
  }

  function handleUpdate(update: LiveUpdate): void {
    if (pending) pending.push(update);
    else applyUpdate(update);
  }

  /** Subscribes to live updates; returns the function that unsubscribes. */
  function subscribe(): () => void {
    return api.onUpdate(handleUpdate);
  }

  function pinSample(index: number | null): void {
    pinnedSampleIndex.value = index === null || index >= samples.value.length - 1 ? null : Math.max(0, index);
  }

  /** Loads the image of whichever sample `shown` returns into `image`, or the reason it failed into `failure`. */
  function followImage(shown: () => SampleRecord | null, image: typeof sampleImage, failure: typeof sampleError, what: string): void {
    watch(shown, async (sample) => {
      failure.value = null;
      if (!sample) {
        image.value = null;
        return;
      }

      try {
        const url = await images.get(sample.id);
        if (shown()?.id === sample.id) image.value = url;
      } catch (error) {
        if (shown()?.id === sample.id) failure.value = `Could not load the ${what} at step ${sample.step}: ${errorMessage(error)}`;
      }
    });
  }

  followImage(() => shownSample.value, sampleImage, sampleError, 'sample');
  followImage(() => shownEmaSample.value, emaSampleImage, emaSampleError, 'EMA generator’s sample');

  async function control(action: 'stop' | 'pause' | 'resume'): Promise<void> {
    const id = runId.value;
    if (id === null) return;

    actionError.value = null;
    try {
      await api.training[action](id);
    } catch (error) {
      actionError.value = `Could not ${action} run ${id}: ${errorMessage(error)}`;
    }
  }

  return {
    runId,
    run,
    progress,
    series,
    revision,
    samples,
    emaSamples,
    sampleIndex,
    shownSample,
    shownEmaSample,
    sampleImage,
    sampleError,
    emaSampleImage,
    emaSampleError,
    events,
    errorEvents,
    warningEvents,
    verdicts,
    verdict,
    markers,
    loading,
    loadError,
    actionError,
    deleted,
    isActive,
    isPaused,
    step,
    totalSteps,
    stepsPerSecond,
    etaSeconds,
    open,
    openLatest,
    subscribe,
    handleUpdate,
    pinSample,
    stop: () => control('stop'),
    pause: () => control('pause'),
    resume: () => control('resume'),
  };
});
