// Sample rows and their PNG files. The PNG is written inside the row's transaction and
// removed again if that transaction fails, so no committed row points at a missing file.
import type { SampleKind, SampleRecord } from '../../shared/run';
import type { SampleRow } from './row-mapping';
import { toSampleRecord } from './row-mapping';
import { removeFileIfPresent, resolveSampleFile, writeSamplePng } from './sample-files';
import { isoNow } from './store-connection';
import type { StoreConnection } from './store-connection';
import { InvalidInputError, NotFoundError } from './store-errors';
import * as input from './store-input';

export type SamplePoints = NonNullable<SampleRecord['points']>;

export interface NewSample {
  runId: number;
  step: number;
  kind: SampleKind;
  png: Uint8Array | null;
  points?: SamplePoints;
}

function checkSample(sample: NewSample): void {
  const { runId, step, png, points } = sample;
  input.requireStep(step);
  input.requireSampleKind(sample.kind);

  if (png !== null && !(png instanceof Uint8Array)) {
    throw new InvalidInputError(`Invalid sample image for run ${runId}: expected PNG bytes as a Uint8Array or null.`);
  }
  if (points !== undefined && (!Array.isArray(points?.generated) || !Array.isArray(points?.real))) {
    throw new InvalidInputError(
      `Invalid sample points for run ${runId}: expected {generated: [[x, y], ...], real: [[x, y], ...]}.`,
    );
  }
  if (png === null && points === undefined) {
    throw new InvalidInputError(`Sample for run ${runId} at step ${step} has neither a PNG nor points; pass at least one.`);
  }
}

/** Stores a sample and returns its id. */
export function insertSample(connection: StoreConnection, sample: NewSample): number {
  checkSample(sample);
  const { dbPath } = connection;
  const { runId, step, kind, png, points } = sample;

  let writtenFile: string | null = null;
  const insert = connection.db.transaction(() => {
    connection.requireStatus(runId);

    const data = points === undefined ? null : Buffer.from(JSON.stringify(points), 'utf8');
    const inserted = connection
      .sql('INSERT INTO samples (run_id, step, kind, data, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(runId, step, kind, data, isoNow());
    const sampleId = Number(inserted.lastInsertRowid);

    // The file name needs the sample id, so the PNG is written after the insert.
    if (png !== null) {
      const relativeFile = writeSamplePng(dbPath, runId, sampleId, step, png);
      writtenFile = resolveSampleFile(dbPath, relativeFile);
      connection.sql('UPDATE samples SET file = ? WHERE id = ?').run(relativeFile, sampleId);
    }
    return sampleId;
  });

  try {
    return insert.immediate();
  } catch (error) {
    if (writtenFile !== null) removeFileIfPresent(writtenFile);
    throw error;
  }
}

/** Returns a run's samples ordered by step, with absolute PNG paths. */
export function selectSamples(connection: StoreConnection, runId: number): SampleRecord[] {
  connection.requireStatus(runId);
  const rows = connection.sql('SELECT * FROM samples WHERE run_id = ? ORDER BY step, id').all(runId) as SampleRow[];
  return rows.map((row) => toSampleRecord(row, (file) => resolveSampleFile(connection.dbPath, file)));
}

/** Throws NotFoundError when the sample does not exist. */
export function selectSample(connection: StoreConnection, sampleId: number): SampleRecord {
  const row = connection.sql('SELECT * FROM samples WHERE id = ?').get(sampleId) as SampleRow | undefined;
  if (row === undefined) {
    throw new NotFoundError(`Sample ${sampleId} not found in ${connection.dbPath}; its run may have been deleted.`);
  }
  return toSampleRecord(row, (file) => resolveSampleFile(connection.dbPath, file));
}
