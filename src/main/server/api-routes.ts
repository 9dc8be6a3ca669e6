// The HTTP form of the WorkbenchApi: POST /api/<domain>/<method> with `{"args": [...]}`
// returns `{"result": ...}`, or an ApiErrorPayload with status 400, 404, 409 or 500.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WorkbenchApi } from '../../shared/api';
import { invokeApiMethod } from '../api/invoke-api-method';
import type { Logger } from '../logger';
import { STATUS_BY_CODE, sendError, sendJson } from './responses';

/** Largest request body accepted, in bytes; a run config is a few kilobytes. */
export const MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLargeError extends Error {}

export async function handleApiRequest(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  api: WorkbenchApi,
  log: Logger,
): Promise<void> {
  const parts = url.pathname.split('/');
  // ['', 'api', domain, method]
  if (parts.length !== 4) {
    sendError(response, 404, { code: 'not-found', message: `No API route ${url.pathname}; API routes look like /api/runs/list.` });
    return;
  }
  if (request.method !== 'POST') {
    response.setHeader('Allow', 'POST');
    sendError(response, 405, { code: 'invalid-input', message: `${url.pathname} takes POST with a JSON body like {"args": []}, not ${request.method}.` });
    return;
  }

  let args: unknown;
  try {
    args = parseArgs(await readBody(request));
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      sendError(response, 413, { code: 'invalid-input', message: `The request body exceeds ${MAX_BODY_BYTES} bytes.` });
      return;
    }
    sendError(response, 400, { code: 'invalid-input', message: (error as Error).message });
    return;
  }

  const [, , domain, method] = parts;
  const result = await invokeApiMethod(api, domain, method, args, log);
  if (result.ok) {
    sendJson(response, 200, { result: result.value });
    return;
  }
  sendError(response, STATUS_BY_CODE[result.error.code], result.error);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads `{"args": [...]}`; an empty body means no arguments. */
function parseArgs(body: string): unknown {
  if (body.trim() === '') return [];

  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new Error(`The request body is not valid JSON (${(error as Error).message}); send {"args": [...]}.`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || !('args' in parsed)) {
    throw new Error('The request body must be a JSON object with an "args" array, e.g. {"args": [1]}.');
  }
  return (parsed as { args: unknown }).args;
}
