// Opens the workbench's SQLite file with the settings the run store relies on, and migrates it.
import fs from 'node:fs';
import path from 'node:path';

import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';

import { createLogger } from '../logger';
import { applyMigrations } from './migrations';

const log = createLogger('database');

/** How long a statement waits for another connection's lock before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

export interface OpenedDatabase {
  db: Database;
  /** Absolute path of the database file. */
  path: string;
}

/** Resolves a database path to an absolute file path, rejecting values that name no file. */
export function resolveDatabasePath(dbPath: string): string {
  if (typeof dbPath !== 'string' || dbPath.trim() === '' || dbPath === ':memory:') {
    throw new Error(
      `Invalid database path ${JSON.stringify(dbPath)}: expected a file path such as ~/gan/workbench.db, ` +
        'because sample images are kept in a folder beside the database file.',
    );
  }
  return path.resolve(dbPath);
}

/**
 * Opens (creating when missing, along with its folder) the database at `dbPath`, sets WAL
 * journaling, foreign keys, a busy timeout and `synchronous = NORMAL`, and applies pending
 * migrations. Throws SchemaTooNewError when the file comes from a newer GAN Workbench.
 */
export function openDatabase(dbPath: string): OpenedDatabase {
  const absolutePath = resolveDatabasePath(dbPath);
  fs.mkdirSync(path.dirname(absolutePath), { recursive: true });

  // The Electron app sets GAN_WORKBENCH_SQLITE_BINDING to a better-sqlite3 build for Electron's
  // ABI (scripts/start.js makes it); Node (CLI, tests) uses the package's own build.
  const nativeBinding = process.env.GAN_WORKBENCH_SQLITE_BINDING;
  const db = new BetterSqlite3(absolutePath, { timeout: BUSY_TIMEOUT_MS, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    configureConnection(db, absolutePath);
    const { from, to } = applyMigrations(db, absolutePath);
    if (from !== to) log.info({ dbPath: absolutePath, from, to }, 'migrated database schema');
  } catch (error) {
    db.close();
    throw describeOpenError(error, absolutePath);
  }

  return { db, path: absolutePath };
}

function configureConnection(db: Database, dbPath: string): void {
  // journal_mode returns the mode in force; WAL is refused on some network file systems.
  const journalMode = db.pragma('journal_mode = WAL', { simple: true });
  if (journalMode !== 'wal') {
    log.warn({ dbPath, journalMode }, 'SQLite could not switch to WAL journaling; readers will block the writer');
  }
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // In WAL mode NORMAL loses at most the last commits on power loss, never consistency.
  db.pragma('synchronous = NORMAL');
}

function describeOpenError(error: unknown, dbPath: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_NOTADB') {
    return new Error(
      `Cannot open ${dbPath}: the file is not an SQLite database. Pass the path of a GAN Workbench database or of a file that does not exist yet.`,
      { cause: error },
    );
  }
  return error;
}

export interface CheckpointResult {
  /** True when a reader kept the checkpoint from finishing; it is retried on the next call. */
  busy: boolean;
  /** Frames in the write-ahead log, and how many of them were copied into the database. */
  walFrames: number;
  checkpointedFrames: number;
}

/**
 * Runs `wal_checkpoint(RESTART)`. A writer that never pauses while readers keep the WAL
 * open can grow the WAL without bound (checkpoint starvation), and an occasional RESTART
 * checkpoint, which waits for readers up to the busy timeout, lets the log start over.
 */
export function checkpointWal(db: Database): CheckpointResult {
  const [row] = db.pragma('wal_checkpoint(RESTART)') as { busy: number; log: number; checkpointed: number }[];
  return { busy: row.busy !== 0, walFrames: row.log, checkpointedFrames: row.checkpointed };
}
