// The SQL behind RunStore.listRuns: one WHERE condition per RunFilter field.
import type { RunFilter } from '../../shared/api';
import { RUN_COLUMNS, RUNS_WITH_EXPERIMENT } from './row-mapping';
import * as input from './store-input';

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/**
 * Builds the run list query, newest first (run ids only grow, so id order is creation
 * order). `search` matches a case-insensitive substring of the run name, the experiment
 * name or any tag; SQLite's LIKE folds case for ASCII letters only.
 */
export function buildRunListQuery(filter: RunFilter): { sql: string; parameters: unknown[] } {
  input.requireRunFilter(filter);

  const conditions: string[] = [];
  const parameters: unknown[] = [];
  if (filter.status !== undefined) {
    conditions.push('runs.status = ?');
    parameters.push(filter.status);
  }
  if (filter.datasetKind !== undefined) {
    conditions.push(`json_extract(runs.config_json, '$.dataset.kind') = ?`);
    parameters.push(filter.datasetKind);
  }
  if (filter.loss !== undefined) {
    conditions.push(`json_extract(runs.config_json, '$.loss.kind') = ?`);
    parameters.push(filter.loss);
  }
  if (filter.search !== undefined && filter.search.trim() !== '') {
    const pattern = `%${escapeLike(filter.search.trim())}%`;
    conditions.push(
      `(runs.name LIKE ? ESCAPE '\\' OR experiments.name LIKE ? ESCAPE '\\'
        OR EXISTS (SELECT 1 FROM json_each(runs.tags_json) AS tag WHERE tag.value LIKE ? ESCAPE '\\'))`,
    );
    parameters.push(pattern, pattern, pattern);
  }

  const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
  return { sql: `SELECT ${RUN_COLUMNS} FROM ${RUNS_WITH_EXPERIMENT} ${where} ORDER BY runs.id DESC`, parameters };
}
