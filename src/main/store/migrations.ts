// Versioned schema migrations, tracked in SQLite's `PRAGMA user_version`.
// A migration is frozen once released: change the schema by appending a new one, never by
// editing an old one, because databases in the field have already run it.
import type { Database } from 'better-sqlite3';

import { SchemaTooNewError } from './store-errors';

export interface Migration {
  /** The `user_version` the database has after this migration; 1, 2, 3, ... without gaps. */
  version: number;
  description: string;
  sql: string;
}

// The status list is written out instead of taken from src/shared/run.ts so that this
// migration stays the same when that list grows later. Sample and event kinds have no CHECK:
// the store validates them, so a new kind needs no table rebuild.
const CREATE_RUN_TABLES = `
CREATE TABLE experiments (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);

CREATE TABLE runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  experiment_id INTEGER NOT NULL REFERENCES experiments(id),
  name TEXT NOT NULL,
  config_json TEXT NOT NULL,
  status TEXT NOT NULL
    CHECK (status IN ('queued', 'running', 'completed', 'failed', 'stopped', 'interrupted')),
  backend_json TEXT,
  dataset_json TEXT,
  step INTEGER NOT NULL DEFAULT 0 CHECK (step >= 0),
  created_at TEXT NOT NULL,
  started_at TEXT,
  ended_at TEXT,
  error TEXT,
  tags_json TEXT NOT NULL DEFAULT '[]',
  -- The RunStore instance that queued or runs the run, so that another process can tell
  -- a live run from one whose process died. heartbeat_at is milliseconds since the epoch.
  owner_token TEXT,
  owner_pid INTEGER,
  owner_host TEXT,
  heartbeat_at INTEGER
);
CREATE INDEX runs_by_status ON runs (status);
CREATE INDEX runs_by_experiment ON runs (experiment_id);

-- value is NULL for NaN because SQLite stores a bound NaN as NULL; ±Infinity stay REAL.
CREATE TABLE metrics (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  step INTEGER NOT NULL,
  value REAL,
  PRIMARY KEY (run_id, name, step)
) WITHOUT ROWID;
CREATE INDEX metrics_by_run_step ON metrics (run_id, step);

CREATE TABLE samples (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  -- One of SAMPLE_KINDS in src/shared/run.ts, checked by the store; no CHECK here, so that a
  -- new kind needs no table rebuild.
  kind TEXT NOT NULL,
  -- PNG path relative to the database's folder, with '/' separators; NULL without a PNG.
  file TEXT,
  -- For 'points' and 'points-ema' samples: UTF-8 JSON {"generated": [[x, y], ...], "real": [[x, y], ...]}.
  data BLOB,
  created_at TEXT NOT NULL
);
CREATE INDEX samples_by_run ON samples (run_id, step);

CREATE TABLE events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  -- One of EVENT_KINDS in src/shared/run.ts, checked by the store; no CHECK here, so that a new
  -- kind needs no table rebuild.
  kind TEXT NOT NULL,
  message TEXT NOT NULL,
  -- Structured details as UTF-8 JSON (a verdict's evidence, a controller's change), or NULL.
  data TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX events_by_run ON events (run_id, id);
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'create experiments, runs, metrics, samples and events', sql: CREATE_RUN_TABLES },
];

/** The schema version this code writes: the last migration's version. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export function readSchemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function checkMigrationOrder(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        `Invalid migration list: entry ${index} ("${migration.description}") has version ${migration.version}, expected ${index + 1}. ` +
          'Number migrations 1, 2, 3, ... in order.',
      );
    }
  });
}

/**
 * Brings the database up to the last migration's version and returns the versions before
 * and after. Each migration runs in its own IMMEDIATE transaction together with its
 * `user_version` bump, so a failed migration leaves the previous version intact, and two
 * processes opening a new database at once do not both apply it.
 * Throws SchemaTooNewError when the database is newer than the code.
 */
export function applyMigrations(
  db: Database,
  dbPath: string,
  migrations: readonly Migration[] = MIGRATIONS,
): { from: number; to: number } {
  checkMigrationOrder(migrations);

  const latest = migrations.length;
  const from = readSchemaVersion(db);
  if (from > latest) throw new SchemaTooNewError(dbPath, from, latest);

  for (const migration of migrations) {
    const apply = db.transaction(() => {
      // Read again inside the write lock: another process may have migrated meanwhile.
      if (readSchemaVersion(db) >= migration.version) return;

      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    });

    try {
      apply.immediate();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `Migration ${migration.version} ("${migration.description}") failed on ${dbPath}: ${reason}. ` +
          `The database stays at schema version ${readSchemaVersion(db)}; restore a backup or report this error.`,
        { cause: error },
      );
    }
  }

  return { from, to: readSchemaVersion(db) };
}
