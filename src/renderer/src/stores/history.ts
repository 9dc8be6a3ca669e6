// The run history: every run, kept current from live updates, with the table's query and the
// rename, tag and delete actions.
import { defineStore } from 'pinia';
import { computed, reactive, ref } from 'vue';
import type { LiveUpdate } from '../../../shared/api';
import type { MetricPoint, RunRecord } from '../../../shared/run';
import { VERDICT_CODE_METRIC, verdictIdFromCode, type VerdictId } from '../../../shared/verdict';
import { getApi } from '../api';
import { errorMessage } from './error-message';
import { defaultRunQuery, queryRuns, type SortKey } from './run-query';

/** Splits a tag field such as "baseline, ttur" into trimmed, distinct tags. */
export function parseTags(text: string): string[] {
  const tags = text
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag.length > 0);
  return [...new Set(tags)];
}

/** Requests for last verdicts that run at once, so a long history does not flood the server. */
const VERDICT_FETCHES_AT_ONCE = 4;

/** Returns the verdict of the highest-step `verdictCode` point, or undefined when there is none. */
export function lastVerdict(points: readonly MetricPoint[]): VerdictId | null | undefined {
  let last: MetricPoint | null = null;
  for (const point of points) {
    if (point.name === VERDICT_CODE_METRIC && (last === null || point.step >= last.step)) last = point;
  }
  return last === null ? undefined : verdictIdFromCode(last.value);
}

export const useHistoryStore = defineStore('history', () => {
  const api = getApi();

  const runs = ref<RunRecord[]>([]);
  const query = reactive(defaultRunQuery());
  const loading = ref(false);
  const loadError = ref<string | null>(null);
  const actionError = ref<string | null>(null);
  /** Clock for the durations of running runs, advanced by `tick`. */
  const now = ref(Date.now());
  /** Each run's last verdict: null when the run logged none, absent until fetched. */
  const verdicts = reactive(new Map<number, VerdictId | null>());
  /** Why a run's last verdict could not be fetched, by run id. */
  const verdictErrors = reactive(new Map<number, string>());
  const requestedVerdicts = new Set<number>();

  const visibleRuns = computed(() => queryRuns(runs.value, query, now.value));

  async function refresh(): Promise<void> {
    loading.value = true;
    loadError.value = null;
    try {
      runs.value = await api.runs.list();
      now.value = Date.now();
    } catch (error) {
      loadError.value = `Could not load the run history: ${errorMessage(error)}`;
    } finally {
      loading.value = false;
    }
  }

  function upsert(run: RunRecord): void {
    const index = runs.value.findIndex((candidate) => candidate.id === run.id);
    if (index === -1) runs.value.push(run);
    else runs.value[index] = run;
  }

  function handleUpdate(update: LiveUpdate): void {
    if (update.type === 'run') {
      upsert(update.run);
    } else if (update.type === 'run-deleted') {
      runs.value = runs.value.filter((run) => run.id !== update.runId);
    } else if (update.type === 'metrics') {
      const verdict = lastVerdict(update.points);
      if (verdict !== undefined) verdicts.set(update.runId, verdict);
    } else if (update.type === 'progress') {
      const run = runs.value.find((candidate) => candidate.id === update.progress.runId);
      if (run && update.progress.step > run.step) run.step = update.progress.step;
    }
  }

  /** Subscribes to live updates; returns the function that unsubscribes. */
  function subscribe(): () => void {
    return api.onUpdate(handleUpdate);
  }

  function sortBy(key: SortKey): void {
    if (query.sortKey === key) {
      query.sortDirection = query.sortDirection === 'asc' ? 'desc' : 'asc';
    } else {
      query.sortKey = key;
      query.sortDirection = key === 'startedAt' || key === 'duration' || key === 'steps' ? 'desc' : 'asc';
    }
  }

  async function act(description: string, action: () => Promise<void>): Promise<boolean> {
    actionError.value = null;
    try {
      await action();
      return true;
    } catch (error) {
      actionError.value = `Could not ${description}: ${errorMessage(error)}`;
      return false;
    }
  }

  function rename(runId: number, name: string): Promise<boolean> {
    return act(`rename run ${runId}`, async () => upsert(await api.runs.rename(runId, name.trim())));
  }

  function setTags(runId: number, tagText: string): Promise<boolean> {
    return act(`set the tags of run ${runId}`, async () => upsert(await api.runs.setTags(runId, parseTags(tagText))));
  }

  function remove(runId: number): Promise<boolean> {
    return act(`delete run ${runId}`, async () => {
      await api.runs.delete(runId);
      runs.value = runs.value.filter((run) => run.id !== runId);
    });
  }

  function tick(): void {
    now.value = Date.now();
  }

  async function fetchVerdict(run: RunRecord): Promise<void> {
    // Only the last few logged steps are needed; the verdict code is logged at every logging step.
    const sinceStep = Math.max(0, run.step - 2 * run.config.logEvery);
    try {
      const points = await api.runs.metrics(run.id, { names: [VERDICT_CODE_METRIC], sinceStep });
      if (!verdicts.has(run.id)) verdicts.set(run.id, lastVerdict(points) ?? null);
      verdictErrors.delete(run.id);
    } catch (error) {
      // The badge shows the reason; the next call of loadVerdicts tries again.
      verdictErrors.set(run.id, `Could not load the last verdict: ${errorMessage(error)}`);
      requestedVerdicts.delete(run.id);
    }
  }

  /** Fetches the last verdict of each run that has none yet, a few requests at a time. */
  async function loadVerdicts(list: readonly RunRecord[]): Promise<void> {
    const queue = list.filter((run) => !requestedVerdicts.has(run.id) && !verdicts.has(run.id));
    queue.forEach((run) => requestedVerdicts.add(run.id));
    const workers = Array.from({ length: Math.min(VERDICT_FETCHES_AT_ONCE, queue.length) }, async () => {
      for (let run = queue.shift(); run !== undefined; run = queue.shift()) await fetchVerdict(run);
    });
    await Promise.all(workers);
  }

  return {
    runs,
    query,
    loading,
    loadError,
    actionError,
    now,
    verdicts,
    verdictErrors,
    visibleRuns,
    refresh,
    handleUpdate,
    subscribe,
    sortBy,
    rename,
    setTags,
    remove,
    tick,
    loadVerdicts,
  };
});
