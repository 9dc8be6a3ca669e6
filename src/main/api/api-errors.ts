// Turns whatever a handler throws into the ApiErrorPayload that crosses the IPC or HTTP
// boundary, and defines the errors handlers raise themselves.
import type { ApiErrorPayload } from '../../shared/api';
import type { ConfigIssue } from '../../shared/config';
import { DatasetError } from '../data/dataset-error';
import type { Logger } from '../logger';
import { StoreError } from '../store/store-errors';

/** An error a handler raises with its payload code chosen, e.g. an invalid argument. */
export class ApiError extends Error {
  readonly payload: ApiErrorPayload;

  constructor(payload: ApiErrorPayload) {
    super(payload.message);
    this.name = 'ApiError';
    this.payload = payload;
  }
}

export function invalidInput(message: string, issues?: ConfigIssue[]): ApiError {
  return new ApiError({ code: 'invalid-input', message, ...(issues ? { issues } : {}) });
}

export function notFound(message: string): ApiError {
  return new ApiError({ code: 'not-found', message });
}

export function conflict(message: string): ApiError {
  return new ApiError({ code: 'conflict', message });
}

/**
 * Maps an error to its payload. Errors the caller can act on keep their message; anything
 * else is logged with its stack and reported as 'internal' with the message only.
 */
export function toApiErrorPayload(error: unknown, log: Logger, context: Record<string, unknown>): ApiErrorPayload {
  if (error instanceof ApiError) return error.payload;
  if (error instanceof StoreError) return { code: error.code, message: error.message };
  if (error instanceof DatasetError) return { code: 'invalid-input', message: error.message };

  log.error({ err: error, ...context }, 'API call failed');
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `Internal error: ${message}. The server log has the details.` };
}
