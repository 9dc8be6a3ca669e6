// Filtering and sorting the run history table. Pure functions of the run list, so the table
// reacts instantly and the rules are testable without a server.
import type { DatasetKind, LossKind } from '../../../shared/config';
import type { RunRecord, RunStatus } from '../../../shared/run';

export const SORT_KEYS = ['name', 'status', 'dataset', 'model', 'loss', 'steps', 'backend', 'startedAt', 'duration'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDirection = 'asc' | 'desc';

export interface RunQuery {
  status: RunStatus | '';
  datasetKind: DatasetKind | '';
  loss: LossKind | '';
  /** Case-insensitive text matched against the run's name, experiment and tags. */
  search: string;
  sortKey: SortKey;
  sortDirection: SortDirection;
}

export function defaultRunQuery(): RunQuery {
  return { status: '', datasetKind: '', loss: '', search: '', sortKey: 'startedAt', sortDirection: 'desc' };
}

/** Milliseconds the run has trained: until it ended, or until `now` while it runs; null before it starts. */
export function runDurationMs(run: RunRecord, now: number): number | null {
  if (!run.startedAt) return null;

  const start = Date.parse(run.startedAt);
  const end = run.endedAt ? Date.parse(run.endedAt) : now;
  return Math.max(0, end - start);
}

function sortValue(run: RunRecord, key: SortKey, now: number): string | number | null {
  switch (key) {
    case 'name':
      return run.name.toLowerCase();
    case 'status':
      return run.status;
    case 'dataset':
      return run.config.dataset.kind;
    case 'model':
      return run.config.model.architecture;
    case 'loss':
      return run.config.loss.kind;
    case 'steps':
      return run.step;
    case 'backend':
      return run.backend?.name ?? null;
    case 'startedAt':
      return run.startedAt ?? run.createdAt;
    case 'duration':
      return runDurationMs(run, now);
  }
}

function matchesSearch(run: RunRecord, search: string): boolean {
  const needle = search.trim().toLowerCase();
  if (!needle) return true;

  const haystack = [run.name, run.experiment, ...run.tags].join(' ').toLowerCase();
  return haystack.includes(needle);
}

/** Returns the runs the query selects, in its order. Runs without a value for the sort key go last. */
export function queryRuns(runs: readonly RunRecord[], query: RunQuery, now: number): RunRecord[] {
  const selected = runs.filter(
    (run) =>
      (query.status === '' || run.status === query.status) &&
      (query.datasetKind === '' || run.config.dataset.kind === query.datasetKind) &&
      (query.loss === '' || run.config.loss.kind === query.loss) &&
      matchesSearch(run, query.search),
  );

  const direction = query.sortDirection === 'asc' ? 1 : -1;
  return selected.sort((a, b) => {
    const left = sortValue(a, query.sortKey, now);
    const right = sortValue(b, query.sortKey, now);
    if (left === right) return b.id - a.id;
    if (left === null) return 1;
    if (right === null) return -1;
    return (left < right ? -1 : 1) * direction;
  });
}
