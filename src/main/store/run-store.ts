// The run history in SQLite: runs with their metrics, samples and events. The training
// service is the single writer; the CLI and the API handlers read. Sample PNGs live in a
// folder beside the database (sample-files.ts), and owner heartbeats let a store tell live
// runs of another process from runs whose process died (run-owner.ts).
import type { RunFilter } from '../../shared/api';
import { formatConfigIssues, parseRunConfig } from '../../shared/config';
import type { RunConfig } from '../../shared/config';
import type {
  BackendInfo,
  DatasetIdentity,
  EventKind,
  MetricPoint,
  RunEvent,
  RunRecord,
  RunStatus,
  SampleKind,
  SampleRecord,
} from '../../shared/run';
import { FINAL_STATUSES } from '../../shared/run';
import { createLogger } from '../logger';
import { checkpointWal, openDatabase } from './database';
import type { CheckpointResult } from './database';
import { insertMetricPoints, selectLatestMetrics, selectMetricNames, selectMetricPoints } from './metric-queries';
import type { MetricQuery } from './metric-queries';
import { interruptOrphanedRuns, interruptOwnedRuns, refreshHeartbeat } from './orphaned-runs';
import type { EventRow, RunRow } from './row-mapping';
import { RUN_COLUMNS, RUNS_WITH_EXPERIMENT, toRunEvent, toRunRecord } from './row-mapping';
import { buildRunListQuery } from './run-list-query';
import { createRunOwner, HEARTBEAT_INTERVAL_MS, OwnerHeartbeat, STALE_HEARTBEAT_MS } from './run-owner';
import { removeRunSamples, runSamplesDir, samplesDirFor } from './sample-files';
import { insertSample, selectSample, selectSamples } from './sample-queries';
import type { SamplePoints } from './sample-queries';
import { isoNow, StoreConnection } from './store-connection';
import { ConflictError, InvalidInputError } from './store-errors';
import * as input from './store-input';

export { ConflictError, InvalidInputError, NotFoundError, SchemaTooNewError, StoreError } from './store-errors';
export type { MetricQuery } from './metric-queries';
export type { SamplePoints } from './sample-queries';

const log = createLogger('run-store');

export interface RunStoreOptions {
  /** Heartbeat age in ms after which another process's active run counts as orphaned (default 5 min). */
  staleHeartbeatMs?: number;
  /** How often in ms this store refreshes the heartbeat of its own active runs (default 10 s). */
  heartbeatIntervalMs?: number;
  /** Metric batches between two `wal_checkpoint(RESTART)` calls (default 200). */
  checkpointEveryBatches?: number;
}

export type FinalStatus = Exclude<RunStatus, 'queued' | 'running'>;

const DEFAULT_CHECKPOINT_EVERY_BATCHES = 200;

export class RunStore {
  /** Absolute path of the database file. */
  readonly dbPath: string;
  /** Folder of the sample PNGs: `<dbPath>-samples`, with one `run-<id>` folder per run. */
  readonly samplesDir: string;

  private readonly connection: StoreConnection;
  private readonly owner = createRunOwner();
  private readonly heartbeat: OwnerHeartbeat;
  private readonly staleHeartbeatMs: number;
  private readonly checkpointEveryBatches: number;
  private batchesSinceCheckpoint = 0;

  /** Opens (creating and migrating) the database, then marks orphaned runs interrupted. */
  static open(dbPath: string, options: RunStoreOptions = {}): RunStore {
    const { db, path } = openDatabase(dbPath);
    const store = new RunStore(new StoreConnection(db, path), options);
    store.markOrphanedRunsInterrupted();
    return store;
  }

  private constructor(connection: StoreConnection, options: RunStoreOptions) {
    this.connection = connection;
    this.dbPath = connection.dbPath;
    this.samplesDir = samplesDirFor(connection.dbPath);
    this.staleHeartbeatMs = options.staleHeartbeatMs ?? STALE_HEARTBEAT_MS;
    this.checkpointEveryBatches = options.checkpointEveryBatches ?? DEFAULT_CHECKPOINT_EVERY_BATCHES;
    this.heartbeat = new OwnerHeartbeat(
      options.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS,
      () => refreshHeartbeat(this.connection, this.owner),
      (error) => log.warn({ dbPath: this.dbPath, error }, 'failed to refresh the heartbeat of active runs'),
    );
  }

  /** Creates a queued run owned by this store; the experiment is created on first use. */
  createRun(config: RunConfig): RunRecord {
    const parsed = parseRunConfig(config);
    if (!parsed.ok) throw new InvalidInputError(`Invalid run config:\n${formatConfigIssues(parsed.issues)}`);

    const valid = parsed.config;
    const requestedName = valid.name?.trim() ? input.normalizeRunName(valid.name) : null;
    const now = isoNow();
    const { sql } = this;

    const create = this.connection.db.transaction(() => {
      sql('INSERT INTO experiments (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING').run(valid.experiment, now);
      const experiment = sql('SELECT id FROM experiments WHERE name = ?').get(valid.experiment) as { id: number };

      const { token, pid, host } = this.owner;
      const inserted = sql(
        `INSERT INTO runs (experiment_id, name, config_json, status, created_at, owner_token, owner_pid, owner_host, heartbeat_at)
         VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?)`,
      ).run(experiment.id, requestedName ?? '', JSON.stringify(valid), now, token, pid, host, Date.now());
      const runId = Number(inserted.lastInsertRowid);

      // The default name, such as "ring8-ns-12", contains the id, so it is set after the insert.
      if (requestedName === null) {
        sql('UPDATE runs SET name = ? WHERE id = ?').run(`${valid.dataset.kind}-${valid.loss.kind}-${runId}`, runId);
      }
      return runId;
    });

    const runId = create.immediate();
    this.heartbeat.start();
    return this.getRun(runId);
  }

  /** Moves a queued run to 'running' under this store's ownership, with its backend and dataset. */
  markRunning(runId: number, backend: BackendInfo, dataset: DatasetIdentity): void {
    input.requireId('run', runId);
    const { token, pid, host } = this.owner;
    const changed = this.sql(
      `UPDATE runs SET status = 'running', started_at = ?, backend_json = ?, dataset_json = ?,
         owner_token = ?, owner_pid = ?, owner_host = ?, heartbeat_at = ?
       WHERE id = ? AND status = 'queued'`,
    ).run(isoNow(), JSON.stringify(backend), JSON.stringify(dataset), token, pid, host, Date.now(), runId);

    if (changed.changes === 0) {
      const status = this.connection.requireStatus(runId);
      throw new ConflictError(`Cannot start run ${runId}: it is ${status}, and only a queued run can start running.`);
    }
    this.heartbeat.start();
  }

  /** Records the last finished step and, on this store's own runs, refreshes the heartbeat. */
  updateStep(runId: number, step: number): void {
    input.requireId('run', runId);
    input.requireStep(step);
    const changed = this.sql(
      'UPDATE runs SET step = ?, heartbeat_at = CASE WHEN owner_token = ? THEN ? ELSE heartbeat_at END WHERE id = ?',
    ).run(step, this.owner.token, Date.now(), runId);
    if (changed.changes === 0) throw this.connection.runNotFound(runId);
  }

  /**
   * Stores a batch of metric points in one transaction; a point logged again at the same
   * step replaces the old value. NaN is stored as NULL and read back as NaN.
   */
  appendMetrics(runId: number, points: MetricPoint[]): void {
    input.requireId('run', runId);
    insertMetricPoints(this.connection, runId, points);

    this.batchesSinceCheckpoint += 1;
    if (this.batchesSinceCheckpoint < this.checkpointEveryBatches) return;

    this.batchesSinceCheckpoint = 0;
    const result = this.checkpoint();
    if (result.busy) log.debug({ dbPath: this.dbPath, ...result }, 'a reader blocked the WAL checkpoint; it is retried later');
  }

  /** Runs `wal_checkpoint(RESTART)`, which appendMetrics also does every `checkpointEveryBatches` batches. */
  checkpoint(): CheckpointResult {
    return checkpointWal(this.connection.db);
  }

  /** Writes the PNG (when given) to the run's sample folder and stores the sample row. */
  addSample(runId: number, step: number, kind: SampleKind, png: Uint8Array | null, points?: SamplePoints): SampleRecord {
    input.requireId('run', runId);
    const sampleId = insertSample(this.connection, { runId, step, kind, png, points });
    return selectSample(this.connection, sampleId);
  }

  /** Stores an event; `data` contains structured details such as a verdict's evidence. */
  addEvent(runId: number, step: number, kind: EventKind, message: string, data: Record<string, unknown> | null = null): RunEvent {
    input.requireId('run', runId);
    input.requireStep(step);
    input.requireEventKind(kind);
    input.requireMessage(message);

    const add = this.connection.db.transaction(() => {
      this.connection.requireStatus(runId);
      return Number(this.connection.insertEvent(runId, step, kind, message, data).lastInsertRowid);
    });
    const eventId = add.immediate();
    return toRunEvent(this.sql('SELECT * FROM events WHERE id = ?').get(eventId) as EventRow);
  }

  /**
   * Ends a run with a final status, setting `ended_at` and, when given, the last step.
   * A run that has already ended cannot be finished again, with one exception: this store
   * may record the real outcome of its own run after another process took it for orphaned
   * and marked it interrupted.
   */
  finishRun(runId: number, status: FinalStatus, error: string | null, step?: number): RunRecord {
    input.requireId('run', runId);
    input.requireFinalStatus(status);
    input.requireErrorText(error);
    if (step !== undefined) input.requireStep(step);

    const finish = this.connection.db.transaction(() => {
      const row = this.sql('SELECT status, owner_token FROM runs WHERE id = ?').get(runId) as
        | { status: RunStatus; owner_token: string | null }
        | undefined;
      if (row === undefined) throw this.connection.runNotFound(runId);

      const reclaimsOwnRun = row.status === 'interrupted' && row.owner_token === this.owner.token;
      if (FINAL_STATUSES.includes(row.status) && !reclaimsOwnRun) {
        throw new ConflictError(`Cannot finish run ${runId} as ${status}: it has already ended as ${row.status}.`);
      }

      this.sql('UPDATE runs SET status = ?, error = ?, ended_at = ?, step = COALESCE(?, step) WHERE id = ?').run(
        status,
        error,
        isoNow(),
        step ?? null,
        runId,
      );
    });
    finish.immediate();
    return this.getRun(runId);
  }

  /** Throws NotFoundError when the run does not exist. */
  getRun(runId: number): RunRecord {
    input.requireId('run', runId);
    const row = this.sql(`SELECT ${RUN_COLUMNS} FROM ${RUNS_WITH_EXPERIMENT} WHERE runs.id = ?`).get(runId) as RunRow | undefined;
    if (row === undefined) throw this.connection.runNotFound(runId);
    return toRunRecord(row);
  }

  /** Lists runs newest first; see buildRunListQuery for what each filter field matches. */
  listRuns(filter: RunFilter = {}): RunRecord[] {
    const query = buildRunListQuery(filter);
    const rows = this.sql(query.sql).all(...query.parameters) as RunRow[];
    return rows.map(toRunRecord);
  }

  /** Returns metric points ordered by step, then name; `sinceStep` is inclusive. */
  getMetrics(runId: number, options: MetricQuery = {}): MetricPoint[] {
    input.requireId('run', runId);
    return selectMetricPoints(this.connection, runId, options);
  }

  /** Returns the value at the highest step of each metric name (NaN where that value was NaN). */
  latestMetrics(runId: number): Record<string, number> {
    input.requireId('run', runId);
    return selectLatestMetrics(this.connection, runId);
  }

  /** Returns the run's distinct metric names in alphabetical order. */
  metricNames(runId: number): string[] {
    input.requireId('run', runId);
    return selectMetricNames(this.connection, runId);
  }

  /** Returns the run's samples ordered by step, with absolute PNG paths. */
  getSamples(runId: number): SampleRecord[] {
    input.requireId('run', runId);
    return selectSamples(this.connection, runId);
  }

  /** Throws NotFoundError when the sample does not exist. */
  getSample(sampleId: number): SampleRecord {
    input.requireId('sample', sampleId);
    return selectSample(this.connection, sampleId);
  }

  /** Returns the run's events in the order they were added. */
  getEvents(runId: number): RunEvent[] {
    input.requireId('run', runId);
    this.connection.requireStatus(runId);
    const rows = this.sql('SELECT * FROM events WHERE run_id = ? ORDER BY id').all(runId) as EventRow[];
    return rows.map(toRunEvent);
  }

  /** Renames a run; the name is trimmed and must keep 1 to 200 characters. */
  renameRun(runId: number, name: string): RunRecord {
    input.requireId('run', runId);
    const trimmed = input.normalizeRunName(name);
    const changed = this.sql('UPDATE runs SET name = ? WHERE id = ?').run(trimmed, runId);
    if (changed.changes === 0) throw this.connection.runNotFound(runId);
    return this.getRun(runId);
  }

  /** Replaces a run's tags; each tag is trimmed and repeats are dropped. */
  setTags(runId: number, tags: string[]): RunRecord {
    input.requireId('run', runId);
    const normalized = input.normalizeTags(tags);
    const changed = this.sql('UPDATE runs SET tags_json = ? WHERE id = ?').run(JSON.stringify(normalized), runId);
    if (changed.changes === 0) throw this.connection.runNotFound(runId);
    return this.getRun(runId);
  }

  /** Deletes a run that is neither queued nor running, with its metrics, samples, events and sample folder. */
  deleteRun(runId: number): void {
    input.requireId('run', runId);
    const remove = this.connection.db.transaction(() => {
      const status = this.connection.requireStatus(runId);
      if (status === 'queued' || status === 'running') {
        throw new ConflictError(`Cannot delete run ${runId}: it is ${status}. Stop it first, then delete it.`);
      }
      this.sql('DELETE FROM runs WHERE id = ?').run(runId);
    });
    remove.immediate();

    try {
      removeRunSamples(this.dbPath, runId);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `Run ${runId} was deleted, but its sample folder ${runSamplesDir(this.dbPath, runId)} could not be removed: ${reason}. Delete the folder by hand.`,
        { cause: error },
      );
    }
  }

  /**
   * Marks queued and running runs interrupted when their owner is gone: its process has
   * exited (checked on the same host only), or its heartbeat is older than
   * `staleHeartbeatMs`. Runs of live owners, such as another process that is training
   * right now, stay as they are. Each marked run gets a 'status' event with the reason.
   * `open` calls this; it returns the ids of the runs it marked.
   */
  markOrphanedRunsInterrupted(): number[] {
    const marked = interruptOrphanedRuns(this.connection, this.owner, this.staleHeartbeatMs);
    if (marked.length > 0) log.warn({ dbPath: this.dbPath, runIds: marked }, 'marked orphaned runs interrupted');
    return marked;
  }

  /**
   * Closes the database. Runs this store still owns as queued or running are marked
   * interrupted first, because nothing can update them after the store is closed.
   * Calling close again does nothing.
   */
  close(): void {
    if (!this.connection.db.open) return;
    this.heartbeat.stop();

    try {
      const abandoned = interruptOwnedRuns(this.connection, this.owner, 'the run store was closed before the run finished');
      if (abandoned.length > 0) log.warn({ dbPath: this.dbPath, runIds: abandoned }, 'closed the run store with active runs');
    } finally {
      this.connection.close();
    }
  }

  private readonly sql = (text: string) => this.connection.sql(text);
}
