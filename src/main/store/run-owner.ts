// Ownership of queued and running runs, and the check whether the owning process still exists.
// Each RunStore instance is one owner: a random token plus its pid and host name. The owner
// refreshes `heartbeat_at` on its active runs while it lives, so that a store opened by
// another process (a CLI `runs` command during training, say) can tell live runs from
// runs whose process died without finishing them.
import { randomUUID } from 'node:crypto';
import os from 'node:os';

/** How often an owner refreshes the heartbeat of its queued and running runs. */
export const HEARTBEAT_INTERVAL_MS = 10_000;

/**
 * Heartbeat age past which a run counts as orphaned even though a process with its owner's
 * pid exists. After a crash another program may have reused the pid. The owner may also run
 * on another host (a database on a shared drive), where its pid cannot be checked.
 * Thirty missed heartbeats leave room for an event loop stalled by a slow synchronous task.
 */
export const STALE_HEARTBEAT_MS = 5 * 60_000;

export interface RunOwner {
  token: string;
  pid: number;
  host: string;
}

export function createRunOwner(): RunOwner {
  return { token: randomUUID(), pid: process.pid, host: os.hostname() };
}

/** The owner columns of a run row, as stored. */
export interface OwnerColumns {
  owner_token: string | null;
  owner_pid: number | null;
  owner_host: string | null;
  heartbeat_at: number | null;
}

/** Checks whether a process with this pid exists on this host. Signal 0 checks without delivering a signal. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Returns why an active run's owner is gone, or null when the owner may still be running it.
 * `self` is the asking store, whose own runs are never orphaned.
 */
export function findOrphanReason(row: OwnerColumns, self: RunOwner, now: number, staleAfterMs: number): string | null {
  if (row.owner_token === self.token) return null;
  if (row.owner_token === null || row.owner_pid === null || row.heartbeat_at === null) {
    return 'no process is recorded as its owner';
  }

  const owner = `process ${row.owner_pid} on ${row.owner_host ?? 'an unknown host'}`;
  if (row.owner_host === self.host && !isProcessAlive(row.owner_pid)) {
    return `${owner}, which owned it, is no longer running`;
  }

  const ageMs = now - row.heartbeat_at;
  if (ageMs > staleAfterMs) {
    const ageSeconds = Math.round(ageMs / 1000);
    return `${owner}, which owned it, has not updated it for ${ageSeconds} s (limit ${Math.round(staleAfterMs / 1000)} s)`;
  }

  return null;
}

/**
 * The timer that refreshes `heartbeat_at` on the owner's queued and running runs. It stops
 * by itself when the owner has no active runs left, and `start` is called again when
 * one is created or starts running.
 */
export class OwnerHeartbeat {
  private timer: NodeJS.Timeout | null = null;

  /** `refresh` updates the heartbeat of the owner's active runs and returns how many it updated. */
  constructor(
    private readonly intervalMs: number,
    private readonly refresh: () => number,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.beat(), this.intervalMs);
    // The heartbeat must not keep a CLI process alive after its work is done.
    this.timer.unref();
  }

  stop(): void {
    if (this.timer === null) return;
    clearInterval(this.timer);
    this.timer = null;
  }

  private beat(): void {
    try {
      if (this.refresh() === 0) this.stop();
    } catch (error) {
      // A timer callback has no caller to rethrow to; the next beat retries.
      this.onError(error);
    }
  }
}
