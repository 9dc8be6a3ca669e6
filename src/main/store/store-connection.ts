// The open database with a cache of prepared statements and the lookups every query module
// shares. One StoreConnection belongs to one RunStore.
import type { Database, RunResult, Statement } from 'better-sqlite3';

import type { EventKind, RunStatus } from '../../shared/run';
import { NotFoundError } from './store-errors';

export function isoNow(): string {
  return new Date().toISOString();
}

export class StoreConnection {
  readonly db: Database;
  /** Absolute path of the database file. */
  readonly dbPath: string;
  private readonly statements = new Map<string, Statement>();

  constructor(db: Database, dbPath: string) {
    this.db = db;
    this.dbPath = dbPath;
  }

  /** Returns the prepared statement for `text`, preparing it on first use. */
  sql(text: string): Statement {
    let statement = this.statements.get(text);
    if (statement === undefined) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** Returns the run's status, or throws NotFoundError. */
  requireStatus(runId: number): RunStatus {
    const row = this.sql('SELECT status FROM runs WHERE id = ?').get(runId) as { status: RunStatus } | undefined;
    if (row === undefined) throw this.runNotFound(runId);
    return row.status;
  }

  runNotFound(runId: number): NotFoundError {
    return new NotFoundError(`Run ${runId} not found in ${this.dbPath}; it may have been deleted. List the runs to find its id.`);
  }

  insertEvent(runId: number, step: number, kind: EventKind, message: string, data: Record<string, unknown> | null = null): RunResult {
    return this.sql('INSERT INTO events (run_id, step, kind, message, data, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      runId,
      step,
      kind,
      message,
      data === null ? null : JSON.stringify(data),
      isoNow(),
    );
  }

  close(): void {
    this.statements.clear();
    this.db.close();
  }
}
