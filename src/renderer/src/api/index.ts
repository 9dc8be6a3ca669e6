// The one way views and stores reach the main side. In the Electron window the preload
// exposes `window.workbench`; in a browser the same API runs over HTTP and a WebSocket
// against the `serve` server. Both throw ApiError, so callers cannot tell them apart.
import type { WorkbenchApi } from '../../../shared/api';
import type { WorkbenchBridge } from '../../../shared/bridge';
import { createBridgeApi } from './bridge-client';
import { resolveBrowserConnection } from './connection';
import { createHttpApi } from './http-client';

export { ApiError } from './api-error';

declare global {
  interface Window {
    /** Set by the preload in the Electron window; absent in browser mode. */
    workbench?: WorkbenchBridge;
  }
}

let api: WorkbenchApi | null = null;

/** Returns the app's WorkbenchApi, creating the client for this shell on first use. */
export function getApi(): WorkbenchApi {
  if (api) return api;

  if (window.workbench) {
    api = createBridgeApi(window.workbench);
  } else {
    const storage = safeSessionStorage();
    api = createHttpApi(resolveBrowserConnection(window.location, storage, window.history));
  }
  return api;
}

/** Session storage, or null where the browser blocks it (e.g. some private modes). */
function safeSessionStorage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}
