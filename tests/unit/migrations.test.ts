// Schema migrations and database opening, on real SQLite files in a temporary folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openDatabase } from '../../src/main/store/database';
import { applyMigrations, MIGRATIONS, readSchemaVersion, SCHEMA_VERSION } from '../../src/main/store/migrations';
import type { Migration } from '../../src/main/store/migrations';
import { RunStore, SchemaTooNewError } from '../../src/main/store/run-store';

let folder: string;
let dbPath: string;

beforeEach(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-migrations-'));
  dbPath = path.join(folder, 'workbench.db');
});

afterEach(() => {
  fs.rmSync(folder, { recursive: true, force: true });
});

function tableNames(db: BetterSqlite3.Database): string[] {
  const rows = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all();
  return (rows as { name: string }[]).map((row) => row.name);
}

describe('openDatabase', () => {
  it('migrates an empty file to the latest version', () => {
    const { db, path: openedPath } = openDatabase(dbPath);

    expect(openedPath).toBe(dbPath);
    expect(readSchemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
    expect(tableNames(db)).toEqual(['events', 'experiments', 'metrics', 'runs', 'samples']);
    db.close();
  });

  it('sets WAL, foreign keys and the busy timeout', () => {
    const { db } = openDatabase(dbPath);

    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    db.close();
  });

  it('reopens an up-to-date file without changes', () => {
    const first = openDatabase(dbPath);
    first.db.prepare(`INSERT INTO experiments (name, created_at) VALUES ('kept', '2025-01-01T00:00:00.000Z')`).run();
    first.db.close();

    const second = openDatabase(dbPath);
    expect(applyMigrations(second.db, dbPath)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    expect(second.db.prepare('SELECT name FROM experiments').all()).toEqual([{ name: 'kept' }]);
    second.db.close();
  });

  it('creates a missing parent folder', () => {
    const nested = path.join(folder, 'a', 'b', 'workbench.db');

    const { db } = openDatabase(nested);

    expect(fs.existsSync(nested)).toBe(true);
    db.close();
  });

  it('rejects paths that name no file', () => {
    expect(() => openDatabase('')).toThrow(/Invalid database path "": expected a file path/);
    expect(() => openDatabase(':memory:')).toThrow(/Invalid database path ":memory:"/);
  });

  it('rejects a file that is not SQLite', () => {
    fs.writeFileSync(dbPath, 'this is a text file, not a database, and it is long enough to have a header'.repeat(10));

    expect(() => openDatabase(dbPath)).toThrow(`Cannot open ${dbPath}: the file is not an SQLite database.`);
  });
});

describe('too-new database', () => {
  it('is rejected with an upgrade hint', () => {
    const raw = new BetterSqlite3(dbPath);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();

    let thrown: unknown;
    try {
      RunStore.open(dbPath);
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(SchemaTooNewError);
    const error = thrown as SchemaTooNewError;
    expect(error.foundVersion).toBe(SCHEMA_VERSION + 1);
    expect(error.supportedVersion).toBe(SCHEMA_VERSION);
    expect(error.message).toContain(`has schema version ${SCHEMA_VERSION + 1}`);
    expect(error.message).toContain('Upgrade GAN Workbench');
  });

  it('is left unchanged', () => {
    const raw = new BetterSqlite3(dbPath);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();

    expect(() => openDatabase(dbPath)).toThrow(SchemaTooNewError);

    const check = new BetterSqlite3(dbPath);
    expect(readSchemaVersion(check)).toBe(SCHEMA_VERSION + 1);
    expect(tableNames(check)).toEqual([]);
    check.close();
  });
});

describe('applyMigrations', () => {
  it('rolls back a failing migration whole', () => {
    const db = new BetterSqlite3(dbPath);
    const broken: Migration = {
      version: 2,
      description: 'add a table, then fail',
      sql: 'CREATE TABLE extra (x INTEGER); INSERT INTO missing_table VALUES (1);',
    };

    expect(() => applyMigrations(db, dbPath, [MIGRATIONS[0], broken])).toThrow(
      /Migration 2 \("add a table, then fail"\) failed on .*no such table: missing_table.*stays at schema version 1/,
    );
    expect(readSchemaVersion(db)).toBe(1);
    expect(tableNames(db)).not.toContain('extra');
    expect(tableNames(db)).toContain('runs');
    db.close();
  });

  it('applies only the pending migrations', () => {
    const db = new BetterSqlite3(dbPath);
    applyMigrations(db, dbPath, [MIGRATIONS[0]]);
    const second: Migration = { version: 2, description: 'add notes', sql: 'CREATE TABLE notes (text TEXT);' };

    const result = applyMigrations(db, dbPath, [MIGRATIONS[0], second]);

    expect(result).toEqual({ from: 1, to: 2 });
    expect(tableNames(db)).toContain('notes');
    db.close();
  });

  it('rejects a list with a gap', () => {
    const db = new BetterSqlite3(dbPath);
    const skipped: Migration = { version: 3, description: 'skips 2', sql: 'SELECT 1;' };

    expect(() => applyMigrations(db, dbPath, [MIGRATIONS[0], skipped])).toThrow(
      'Invalid migration list: entry 1 ("skips 2") has version 3, expected 2.',
    );
    expect(readSchemaVersion(db)).toBe(0);
    db.close();
  });
});

describe('schema constraints', () => {
  it('rejects an unknown run status', () => {
    const { db } = openDatabase(dbPath);
    db.prepare(`INSERT INTO experiments (id, name, created_at) VALUES (1, 'e', 'now')`).run();

    const insert = () =>
      db
        .prepare(`INSERT INTO runs (experiment_id, name, config_json, status, created_at) VALUES (1, 'r', '{}', 'paused', 'now')`)
        .run();

    expect(insert).toThrow(/CHECK constraint failed/);
    db.close();
  });

  it('rejects a metric for a missing run', () => {
    const { db } = openDatabase(dbPath);

    const insert = () => db.prepare(`INSERT INTO metrics (run_id, name, step, value) VALUES (99, 'lossD', 0, 1)`).run();

    expect(insert).toThrow(/FOREIGN KEY constraint failed/);
    db.close();
  });
});
