// Small helpers that write JSON and text responses with the headers every response gets.
import type { ServerResponse } from 'node:http';
import type { ApiErrorPayload } from '../../shared/api';

/** Headers on every response: no MIME sniffing, no referrer (the page URL carries the token), no framing. */
export const COMMON_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

export const STATUS_BY_CODE: Record<ApiErrorPayload['code'], number> = {
  'invalid-input': 400,
  'not-found': 404,
  conflict: 409,
  internal: 500,
};

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...COMMON_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  response.end(text);
}

export function sendError(response: ServerResponse, status: number, payload: ApiErrorPayload): void {
  sendJson(response, status, payload);
}

export function sendText(response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, {
    ...COMMON_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}
