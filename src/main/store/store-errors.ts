// Errors the run store raises. Each carries the ApiErrorPayload code that the API layer
// returns for it, so handlers can map them without matching on messages.
import type { ApiErrorPayload } from '../../shared/api';

export type StoreErrorCode = Exclude<ApiErrorPayload['code'], 'internal'>;

/** Base class of the errors a caller can act on: bad input, a missing record, a conflict. */
export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A run or sample id that the database does not contain. */
export class NotFoundError extends StoreError {
  constructor(message: string) {
    super('not-found', message);
  }
}

/** An argument the store rejects before touching the database. */
export class InvalidInputError extends StoreError {
  constructor(message: string) {
    super('invalid-input', message);
  }
}

/** A request that the run's current status does not allow, e.g. deleting a running run. */
export class ConflictError extends StoreError {
  constructor(message: string) {
    super('conflict', message);
  }
}

/** The database was written by a newer GAN Workbench whose schema this code does not know. */
export class SchemaTooNewError extends Error {
  readonly dbPath: string;
  readonly foundVersion: number;
  readonly supportedVersion: number;

  constructor(dbPath: string, foundVersion: number, supportedVersion: number) {
    super(
      `Database ${dbPath} has schema version ${foundVersion}, but this GAN Workbench supports versions up to ${supportedVersion}. ` +
        'Upgrade GAN Workbench to open it, or use another database file.',
    );
    this.name = 'SchemaTooNewError';
    this.dbPath = dbPath;
    this.foundVersion = foundVersion;
    this.supportedVersion = supportedVersion;
  }
}
