// The WorkbenchApi in the desktop window: unwraps the preload bridge's ApiResult envelopes
// and throws ApiError, so views see the same errors as in browser mode.
import type { WorkbenchApi } from '../../../shared/api';
import type { ApiResult, WorkbenchBridge } from '../../../shared/bridge';
import { ApiError } from './api-error';
import { buildApi } from './methods';

export function createBridgeApi(bridge: WorkbenchBridge): WorkbenchApi {
  const call = async (domain: keyof WorkbenchBridge, method: string, args: unknown[]): Promise<unknown> => {
    const domainMethods = bridge[domain] as unknown as Record<string, (...a: unknown[]) => Promise<ApiResult<unknown>>>;
    const result = await domainMethods[method](...args);
    if (!result.ok) throw new ApiError(result.error);
    return result.value;
  };
  return buildApi(call, (listener) => bridge.onUpdate(listener));
}
