// Metric points of a run: one row per (run, name, step). SQLite stores a bound NaN as NULL,
// so NULL in `metrics.value` means NaN; ±Infinity are stored as REAL and come back unchanged.
import type { MetricPoint } from '../../shared/run';
import type { MetricRow } from './row-mapping';
import { toMetricPoint } from './row-mapping';
import type { StoreConnection } from './store-connection';
import { InvalidInputError } from './store-errors';
import * as input from './store-input';

export interface MetricQuery {
  names?: string[];
  /** Lowest step to return, inclusive. */
  sinceStep?: number;
}

/** Stores a batch in one transaction; a point logged again at the same step replaces the old value. */
export function insertMetricPoints(connection: StoreConnection, runId: number, points: MetricPoint[]): void {
  input.requireMetricPoints(points);

  const upsert = connection.sql(
    `INSERT INTO metrics (run_id, name, step, value) VALUES (?, ?, ?, ?)
     ON CONFLICT (run_id, name, step) DO UPDATE SET value = excluded.value`,
  );
  const insert = connection.db.transaction(() => {
    connection.requireStatus(runId);
    for (const point of points) {
      upsert.run(runId, point.name, point.step, Number.isNaN(point.value) ? null : point.value);
    }
  });
  insert.immediate();
}

/** Returns points ordered by step, then name. */
export function selectMetricPoints(connection: StoreConnection, runId: number, query: MetricQuery): MetricPoint[] {
  const sinceStep = query.sinceStep === undefined ? 0 : input.requireStep(query.sinceStep);
  if (query.names !== undefined) {
    if (!Array.isArray(query.names)) {
      throw new InvalidInputError(`Invalid metric names ${JSON.stringify(query.names)}: expected an array such as ["lossD"].`);
    }
    query.names.forEach((name) => input.requireMetricName(name));
  }
  connection.requireStatus(runId);

  const rows =
    query.names === undefined
      ? connection.sql('SELECT step, name, value FROM metrics WHERE run_id = ? AND step >= ? ORDER BY step, name').all(runId, sinceStep)
      : connection
          .sql(
            `SELECT step, name, value FROM metrics
             WHERE run_id = ? AND step >= ? AND name IN (SELECT value FROM json_each(?))
             ORDER BY step, name`,
          )
          .all(runId, sinceStep, JSON.stringify(query.names));
  return (rows as MetricRow[]).map(toMetricPoint);
}

/** Returns the value at the highest step of each metric name (NaN where that value was NaN). */
export function selectLatestMetrics(connection: StoreConnection, runId: number): Record<string, number> {
  connection.requireStatus(runId);

  // With MAX() in an aggregate query, SQLite takes the bare column `value` from the row that has the maximum.
  const rows = connection
    .sql('SELECT name, value, MAX(step) AS step FROM metrics WHERE run_id = ? GROUP BY name')
    .all(runId) as MetricRow[];
  return Object.fromEntries(rows.map((row) => [row.name, row.value ?? Number.NaN]));
}

/** Returns the distinct metric names of a run in alphabetical order. */
export function selectMetricNames(connection: StoreConnection, runId: number): string[] {
  connection.requireStatus(runId);
  const rows = connection.sql('SELECT DISTINCT name FROM metrics WHERE run_id = ? ORDER BY name').all(runId) as { name: string }[];
  return rows.map((row) => row.name);
}
