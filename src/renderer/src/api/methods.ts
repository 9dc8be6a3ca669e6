// Builds a WorkbenchApi from one generic call function. Both clients (IPC bridge and HTTP)
// use it, so both expose exactly the methods that API_METHODS in src/shared/bridge.ts lists.
import type { WorkbenchApi } from '../../../shared/api';
import { API_METHODS, type ApiDomain } from '../../../shared/bridge';

type AnyMethod = (...args: unknown[]) => Promise<unknown>;

/** Builds a WorkbenchApi whose every method forwards to `call` with its domain, name and arguments. */
export function buildApi(
  call: (domain: ApiDomain, method: string, args: unknown[]) => Promise<unknown>,
  onUpdate: WorkbenchApi['onUpdate'],
): WorkbenchApi {
  const domains: Record<string, Record<string, AnyMethod>> = {};
  for (const [domain, methods] of Object.entries(API_METHODS) as [ApiDomain, string[]][]) {
    domains[domain] = {};
    for (const method of methods) {
      domains[domain][method] = (...args: unknown[]) => call(domain, method, args);
    }
  }
  return { ...(domains as unknown as Omit<WorkbenchApi, 'onUpdate'>), onUpdate };
}
