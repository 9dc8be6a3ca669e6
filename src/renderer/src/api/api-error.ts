// The error every API client throws, so views can branch on `code` in the desktop window
// and in browser mode alike.
import type { ApiErrorPayload } from '../../../shared/api';
import type { ConfigIssue } from '../../../shared/config';

export class ApiError extends Error {
  readonly code: ApiErrorPayload['code'];
  /** One entry per invalid config field, when `code` is 'invalid-input' and the input was a config. */
  readonly issues: ConfigIssue[];

  constructor(payload: ApiErrorPayload) {
    super(payload.message);
    this.name = 'ApiError';
    this.code = payload.code;
    this.issues = payload.issues ?? [];
  }
}

/** Checks whether a value has the shape of an ApiErrorPayload (as parsed from JSON or received over IPC). */
export function isApiErrorPayload(value: unknown): value is ApiErrorPayload {
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as Record<string, unknown>;
  const codes: unknown[] = ['invalid-input', 'not-found', 'conflict', 'internal'];
  return codes.includes(candidate.code) && typeof candidate.message === 'string';
}
