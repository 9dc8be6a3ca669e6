// Collects metric points from the workers and writes them to SQLite in one transaction per run
// and flush, instead of one insert per point.
import type { MetricPoint } from '../../shared/run';
import type { RunStore } from '../store/run-store';

/** How long points wait before they are written: short enough that a crash loses little. */
const FLUSH_DELAY_MS = 500;

export class MetricWriteBuffer {
  private readonly pending = new Map<number, MetricPoint[]>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly store: Pick<RunStore, 'appendMetrics'>) {}

  add(runId: number, points: MetricPoint[]): void {
    const list = this.pending.get(runId);
    if (list) list.push(...points);
    else this.pending.set(runId, [...points]);

    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.flush();
    }, FLUSH_DELAY_MS);
  }

  /** Writes the pending points of one run, or of every run when `runId` is absent. */
  flush(runId?: number): void {
    const runIds = runId === undefined ? [...this.pending.keys()] : [runId];
    for (const id of runIds) {
      const points = this.pending.get(id);
      this.pending.delete(id);
      if (points && points.length > 0) this.store.appendMetrics(id, points);
    }
    if (this.pending.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }
}
