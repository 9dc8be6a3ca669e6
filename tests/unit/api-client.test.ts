import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LiveUpdate, WorkbenchApi } from '../../src/shared/api';
import type { WorkbenchBridge } from '../../src/shared/bridge';
import { API_METHODS } from '../../src/shared/bridge';
import { ApiError } from '../../src/renderer/src/api/api-error';
import { createBridgeApi } from '../../src/renderer/src/api/bridge-client';
import { resolveBrowserConnection } from '../../src/renderer/src/api/connection';
import { createHttpApi, type WebSocketLike } from '../../src/renderer/src/api/http-client';
import { invokeApiMethod } from '../../src/main/api/invoke-api-method';
import { createWorkbenchApi } from '../../src/main/api/workbench-api';
import { createLogger } from '../../src/main/logger';
import { startServer, type RunningServer } from '../../src/main/server/server';
import { RunStore } from '../../src/main/store/run-store';
import { TrainingService } from '../../src/main/training/training-service';

const log = createLogger('api-client-test');

// Node 20 has no global WebSocket; the `ws` client implements the same onopen/onmessage/onclose interface.
const createWebSocket = (url: string): WebSocketLike => new WebSocket(url) as unknown as WebSocketLike;

let dir: string;
let server: RunningServer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'api-client-'));
  server = await startServer({ dbPath: path.join(dir, 'workbench.db'), rendererDir: path.join(dir, 'no-renderer') });
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

function httpApi(token: string | null = server.token): WorkbenchApi {
  return createHttpApi({ baseUrl: `http://127.0.0.1:${server.port}/`, token, createWebSocket, reconnectDelayMs: 50 });
}

/** Resolves with the first update that matches, or rejects after `timeoutMs`. */
function nextUpdate(api: WorkbenchApi, match: (update: LiveUpdate) => boolean, timeoutMs = 5000): Promise<LiveUpdate> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no matching live update within ${timeoutMs} ms`));
    }, timeoutMs);
    const unsubscribe = api.onUpdate((update) => {
      if (!match(update)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(update);
    });
  });
}

describe('HTTP client', () => {
  it('lists runs of an empty database', async () => {
    expect(await httpApi().runs.list()).toEqual([]);
  });

  it('validates a config on the server', async () => {
    const result = await httpApi().training.validate({ steps: 0 });

    expect(result.ok).toBe(false);
    expect(result.issues.map((issue) => issue.field)).toEqual(['steps']);
  });

  it('throws ApiError with the code for an unknown run', async () => {
    const error = await httpApi().runs.get(777).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('not-found');
    expect((error as ApiError).message).toContain('777');
  });

  it('throws ApiError with the config issues of an invalid start', async () => {
    const error = await httpApi().training.start({ batchSize: -4 }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('invalid-input');
    expect((error as ApiError).issues.map((issue) => issue.field)).toEqual(['batchSize']);
  });

  it('leaves out an undefined optional argument', async () => {
    const api = httpApi();

    const metrics = await api.runs.list(undefined);
    const invalid = await api.training.start({ steps: 0 }, undefined).catch((caught: unknown) => caught);

    expect(metrics).toEqual([]);
    // The config is at fault, not the absent options argument.
    expect((invalid as ApiError).issues.map((issue) => issue.field)).toEqual(['steps']);
  });

  it('explains a missing token', async () => {
    const error = await httpApi(null).runs.list().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toContain('access token');
  });

  it('returns undefined from a void method', async () => {
    const api = httpApi();
    const { runIds } = await api.training.start({ steps: 1_000_000, backend: 'cpu' });
    await api.training.stop(runIds[0]);

    let run = await api.runs.get(runIds[0]);
    for (let attempt = 0; attempt < 300 && run.status !== 'stopped'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      run = await api.runs.get(runIds[0]);
    }
    expect(run.status).toBe('stopped');
    expect(await api.runs.delete(runIds[0])).toBeUndefined();
  });

  it('delivers live updates over the WebSocket', async () => {
    const api = httpApi();
    const { runIds } = await api.training.start({ steps: 1_000_000, backend: 'cpu' });

    const progress = await nextUpdate(api, (update) => update.type === 'progress' && update.progress.runId === runIds[0] && update.progress.step > 0, 60_000);
    await api.training.stop(runIds[0]);
    const stopped = await nextUpdate(api, (update) => update.type === 'run' && update.run.id === runIds[0] && update.run.status === 'stopped', 60_000);

    expect(progress.type).toBe('progress');
    expect(stopped.type).toBe('run');
  });

  it('sends one update to every listener and none after unsubscribing', async () => {
    const api = httpApi();
    const first: LiveUpdate[] = [];
    const second: LiveUpdate[] = [];
    const stopFirst = api.onUpdate((update) => first.push(update));
    const renamed = nextUpdate(api, (update) => update.type === 'run');
    const stopSecond = api.onUpdate((update) => second.push(update));
    // The socket opens asynchronously; give it a moment before causing the update.
    await new Promise((resolve) => setTimeout(resolve, 300));

    const [run] = await api.runs.list();
    await api.runs.rename(run.id, 'renamed over http');
    await renamed;
    stopFirst();
    stopSecond();
    await api.runs.rename(run.id, 'renamed again');
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(first).toHaveLength(1);
    expect(second).toHaveLength(1);
    expect(first[0]).toMatchObject({ type: 'run', run: { id: run.id, name: 'renamed over http' } });
  });
});

describe('browser connection', () => {
  // Session storage exists only in browsers; a Map stands in for it.
  function fakeStorage(): { getItem(key: string): string | null; setItem(key: string, value: string): void } {
    const map = new Map<string, string>();
    return {
      getItem: (key) => map.get(key) ?? null,
      setItem: (key, value) => void map.set(key, value),
    };
  }

  it('takes the token from the URL and removes it from the address bar', () => {
    const storage = fakeStorage();
    const replaced: string[] = [];
    const history = { replaceState: (_data: unknown, _unused: string, url?: string | URL | null) => void replaced.push(String(url)) };

    const connection = resolveBrowserConnection(
      { origin: 'http://127.0.0.1:5000', search: '?token=abc123&view=live', pathname: '/', hash: '#runs' },
      storage,
      history,
    );

    expect(connection).toEqual({ baseUrl: 'http://127.0.0.1:5000', token: 'abc123' });
    expect(storage.getItem('gan-workbench.token')).toBe('abc123');
    expect(replaced).toEqual(['/?view=live#runs']);
  });

  it('keeps the token across a reload', () => {
    const storage = fakeStorage();
    storage.setItem('gan-workbench.token', 'stored');

    const connection = resolveBrowserConnection({ origin: 'http://127.0.0.1:5000', search: '', pathname: '/', hash: '' }, storage, null);

    expect(connection.token).toBe('stored');
  });

  it('has no token when neither URL nor storage has one', () => {
    const connection = resolveBrowserConnection({ origin: 'http://127.0.0.1:5000', search: '', pathname: '/', hash: '' }, null, null);

    expect(connection.token).toBeNull();
  });
});

describe('bridge client', () => {
  // The Electron preload cannot run here, so this bridge stands in for it: each method calls
  // the same invokeApiMethod that the main process's IPC handlers call.
  function fakeBridge(api: WorkbenchApi): WorkbenchBridge {
    const bridge: Record<string, unknown> = { onUpdate: api.onUpdate };
    for (const [domain, methods] of Object.entries(API_METHODS)) {
      bridge[domain] = Object.fromEntries(methods.map((method) => [method, (...args: unknown[]) => invokeApiMethod(api, domain, method, args, log)]));
    }
    return bridge as unknown as WorkbenchBridge;
  }

  it('unwraps results and throws ApiError for failures', async () => {
    const store = RunStore.open(path.join(dir, 'bridge.db'));
    const training = new TrainingService({ store });
    try {
      const mainApi = createWorkbenchApi({ store, training, dbPath: store.dbPath, shell: 'electron' });
      const api = createBridgeApi(fakeBridge(mainApi));

      expect(await api.runs.list()).toEqual([]);
      const error = await api.runs.rename(1, '').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe('invalid-input');
      expect((error as ApiError).issues[0].field).toBe('name');
    } finally {
      await training.close();
      store.close();
    }
  });
});
