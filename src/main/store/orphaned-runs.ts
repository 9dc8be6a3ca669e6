// Marks queued and running runs interrupted when nothing can finish them any more: their
// owning process is gone, or the store that owns them is closing.
import type { RunStatus } from '../../shared/run';
import { findOrphanReason } from './run-owner';
import type { OwnerColumns, RunOwner } from './run-owner';
import { isoNow } from './store-connection';
import type { StoreConnection } from './store-connection';

interface ActiveRunRow extends OwnerColumns {
  id: number;
  status: RunStatus;
  step: number;
}

function interruptRun(connection: StoreConnection, row: ActiveRunRow, reason: string): void {
  const message = `Marked interrupted at step ${row.step} (was ${row.status}) because ${reason}.`;
  connection.sql(`UPDATE runs SET status = 'interrupted', ended_at = ?, error = ? WHERE id = ?`).run(isoNow(), message, row.id);
  connection.insertEvent(row.id, row.step, 'status', message);
}

function selectActiveRuns(connection: StoreConnection): ActiveRunRow[] {
  return connection
    .sql(`SELECT id, status, step, owner_token, owner_pid, owner_host, heartbeat_at FROM runs WHERE status IN ('queued', 'running')`)
    .all() as ActiveRunRow[];
}

/**
 * Marks the active runs whose owner is gone (see findOrphanReason) and adds a 'status'
 * event with the reason to each. Runs of `self` and of other live owners stay as they are.
 * Returns the ids of the marked runs.
 */
export function interruptOrphanedRuns(connection: StoreConnection, self: RunOwner, staleAfterMs: number): number[] {
  const now = Date.now();
  const mark = connection.db.transaction(() => {
    const marked: number[] = [];
    for (const row of selectActiveRuns(connection)) {
      const reason = findOrphanReason(row, self, now, staleAfterMs);
      if (reason === null) continue;

      interruptRun(connection, row, reason);
      marked.push(row.id);
    }
    return marked;
  });
  return mark.immediate();
}

/** Marks every active run of `owner` interrupted with `reason`; returns their ids. */
export function interruptOwnedRuns(connection: StoreConnection, owner: RunOwner, reason: string): number[] {
  const mark = connection.db.transaction(() => {
    const owned = selectActiveRuns(connection).filter((row) => row.owner_token === owner.token);
    for (const row of owned) interruptRun(connection, row, reason);
    return owned.map((row) => row.id);
  });
  return mark.immediate();
}

/** Sets the heartbeat of the owner's active runs to now; returns how many runs it updated. */
export function refreshHeartbeat(connection: StoreConnection, owner: RunOwner): number {
  return connection
    .sql(`UPDATE runs SET heartbeat_at = ? WHERE owner_token = ? AND status IN ('queued', 'running')`)
    .run(Date.now(), owner.token).changes;
}
