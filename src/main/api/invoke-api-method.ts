// Calls one WorkbenchApi method by domain and name with untrusted arguments, as the IPC
// handlers and the HTTP routes receive them, and wraps the outcome in an ApiResult.
import type { WorkbenchApi } from '../../shared/api';
import { API_METHODS, type ApiDomain, type ApiResult } from '../../shared/bridge';
import type { Logger } from '../logger';
import { notFound, invalidInput, toApiErrorPayload } from './api-errors';

/** Whether `domain`/`method` names a method of the API, e.g. `runs`/`list`. */
export function isApiMethod(domain: string, method: string): domain is ApiDomain {
  return Object.hasOwn(API_METHODS, domain) && API_METHODS[domain as ApiDomain].includes(method);
}

export async function invokeApiMethod(
  api: WorkbenchApi,
  domain: string,
  method: string,
  args: unknown,
  log: Logger,
): Promise<ApiResult<unknown>> {
  try {
    if (!isApiMethod(domain, method)) {
      throw notFound(`Unknown API method '${domain}.${method}'. Known methods: ${listMethods()}.`);
    }
    const handler = (api[domain] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method];
    if (!Array.isArray(args)) {
      throw invalidInput(`The arguments of ${domain}.${method} must be a JSON array, e.g. {"args": [1]}; got ${describe(args)}.`);
    }
    if (args.length > handler.length) {
      throw invalidInput(`${domain}.${method} takes at most ${handler.length} arguments, but got ${args.length}.`);
    }

    return { ok: true, value: await handler(...args) };
  } catch (error) {
    return { ok: false, error: toApiErrorPayload(error, log, { domain, method }) };
  }
}

function listMethods(): string {
  return Object.entries(API_METHODS)
    .flatMap(([domain, methods]) => methods.map((method) => `${domain}.${method}`))
    .join(', ');
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  return value === null ? 'null' : typeof value;
}
