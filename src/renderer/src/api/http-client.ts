// The WorkbenchApi in browser mode: each method is a POST to /api/<domain>/<method> on the
// `serve` server, and live updates arrive over a WebSocket at /api/updates.
import type { LiveUpdate, WorkbenchApi } from '../../../shared/api';
import { ApiError, isApiErrorPayload } from './api-error';
import { buildApi } from './methods';

/** The subset of the browser's WebSocket that the client uses; `ws` in Node tests matches it. */
export interface WebSocketLike {
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  close(): void;
}

export interface HttpApiOptions {
  /** Origin of the server, e.g. `http://127.0.0.1:5178`. */
  baseUrl: string;
  /** The access token from the URL the `serve` command printed; null when the page has none. */
  token: string | null;
  fetch?: typeof fetch;
  createWebSocket?: (url: string) => WebSocketLike;
  /** Delay before reconnecting a dropped update socket, in milliseconds. */
  reconnectDelayMs?: number;
  /** Called with every parse or connection problem of the update socket; defaults to console.warn. */
  onSocketProblem?: (message: string) => void;
}

const MISSING_TOKEN_HINT =
  'Open the app with the full URL that `gan-workbench serve` printed: it carries the access token (`?token=...`).';

export function createHttpApi(options: HttpApiOptions): WorkbenchApi {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const baseUrl = options.baseUrl.replace(/\/+$/, '');

  const call = async (domain: string, method: string, args: unknown[]): Promise<unknown> => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (options.token) headers.Authorization = `Bearer ${options.token}`;

    const response = await fetchImpl(`${baseUrl}/api/${domain}/${method}`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ args: withoutTrailingUndefined(args) }),
    });
    const body = await readJson(response);

    if (response.ok) return (body as { result?: unknown } | null)?.result;
    if (isApiErrorPayload(body)) throw new ApiError(body);
    if (response.status === 401) {
      throw new ApiError({ code: 'invalid-input', message: `The server rejected the access token. ${MISSING_TOKEN_HINT}` });
    }
    throw new ApiError({
      code: 'internal',
      message: `${domain}.${method} failed: the server responded with HTTP ${response.status} ${response.statusText}`,
    });
  };

  const updates = createUpdateSocket(baseUrl, options);
  return buildApi(call, updates.subscribe);
}

/**
 * Drops trailing undefined arguments: JSON turns them into null, which the server rejects,
 * while an optional argument left out must arrive as absent.
 */
function withoutTrailingUndefined(args: unknown[]): unknown[] {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end--;
  return args.slice(0, end);
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Creates one shared WebSocket, opened with the first listener, closed with the last, reopened when it drops. */
function createUpdateSocket(baseUrl: string, options: HttpApiOptions) {
  const listeners = new Set<(update: LiveUpdate) => void>();
  const reconnectDelayMs = options.reconnectDelayMs ?? 2000;
  const report = options.onSocketProblem ?? ((message: string) => console.warn(message));
  const createWebSocket = options.createWebSocket ?? ((url: string) => new WebSocket(url) as unknown as WebSocketLike);
  let socket: WebSocketLike | null = null;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;

  const socketUrl = (): string => {
    const url = new URL(`${baseUrl}/api/updates`);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (options.token) url.searchParams.set('token', options.token);
    return url.toString();
  };

  const open = (): void => {
    const current = createWebSocket(socketUrl());
    socket = current;
    current.onmessage = (event) => {
      let update: LiveUpdate;
      try {
        update = JSON.parse(String(event.data)) as LiveUpdate;
      } catch {
        report(`Ignored a live update that is not valid JSON: ${String(event.data).slice(0, 80)}`);
        return;
      }
      for (const listener of [...listeners]) listener(update);
    };
    current.onerror = () => report(`The live-update connection to ${baseUrl} failed; retrying in ${reconnectDelayMs} ms.`);
    current.onclose = () => {
      if (socket !== current) return;
      socket = null;
      // NOTE: updates sent while the socket was down are lost; views refetch run state after reconnecting if they need it.
      if (listeners.size === 0) return;
      reconnectTimer = setTimeout(() => {
        reconnectTimer = null;
        open();
      }, reconnectDelayMs);
    };
  };

  const subscribe = (listener: (update: LiveUpdate) => void): (() => void) => {
    listeners.add(listener);
    if (!socket && !reconnectTimer) open();

    return () => {
      listeners.delete(listener);
      if (listeners.size > 0) return;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      reconnectTimer = null;
      const closing = socket;
      socket = null;
      closing?.close();
    };
  };

  return { subscribe };
}
