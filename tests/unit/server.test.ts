import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LiveUpdate } from '../../src/shared/api';
import type { RunRecord } from '../../src/shared/run';
import { startServer, type RunningServer } from '../../src/main/server/server';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends one request to the test server with exactly the given headers (Host included). */
function send(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: { host: `127.0.0.1:${port}`, ...options.headers } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

function callApi(server: RunningServer, route: string, args: unknown[] = []): Promise<Reply> {
  return send(server.port, {
    method: 'POST',
    path: `/api/${route}`,
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ args }),
  });
}

async function callResult<T>(server: RunningServer, route: string, args: unknown[] = []): Promise<T> {
  const reply = await callApi(server, route, args);
  if (reply.status !== 200) throw new Error(`${route} answered ${reply.status}: ${reply.body}`);
  return (JSON.parse(reply.body) as { result: T }).result;
}

/** Returns the WebSocket handshake's HTTP status: 101 when accepted, else the rejection status. */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('error', (error) => {
      if (!String(error.message).includes('Unexpected server response')) reject(error);
    });
  });
}

let dir: string;
let rendererDir: string;
let server: RunningServer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'server-test-'));
  rendererDir = path.join(dir, 'renderer');
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>test app</title>');
  writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("app");');
  writeFileSync(path.join(rendererDir, 'assets', 'app.css'), 'body { margin: 0 }');
  writeFileSync(path.join(dir, 'secret.txt'), 'outside the renderer folder');

  server = await startServer({ dbPath: path.join(dir, 'workbench.db'), rendererDir, maxConcurrentRuns: 1 });
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('server address and token', () => {
  it('prints a loopback URL with the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(40);
  });

  it('rejects an API call without a token', async () => {
    const reply = await send(server.port, { method: 'POST', path: '/api/runs/list', body: '{"args":[]}' });

    expect(reply.status).toBe(401);
    expect(JSON.parse(reply.body).message).toContain('access token');
  });

  it('rejects a wrong bearer token', async () => {
    const reply = await send(server.port, {
      method: 'POST',
      path: '/api/runs/list',
      headers: { authorization: `Bearer ${'x'.repeat(server.token.length)}` },
    });

    expect(reply.status).toBe(401);
  });

  it('accepts the token as a query parameter', async () => {
    const reply = await send(server.port, { method: 'POST', path: `/api/runs/list?token=${server.token}`, body: '{"args":[]}' });

    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ result: [] });
  });

  it('rejects a WebSocket upgrade without the token', async () => {
    expect(await upgradeStatus(`ws://127.0.0.1:${server.port}/api/updates`)).toBe(401);
  });

  it('accepts a WebSocket upgrade with the token', async () => {
    expect(await upgradeStatus(`ws://127.0.0.1:${server.port}/api/updates?token=${server.token}`)).toBe(101);
  });
});

describe('host and origin checks', () => {
  it('rejects a foreign Host header on pages', async () => {
    const reply = await send(server.port, { path: '/', headers: { host: `rebind.example:${server.port}` } });

    expect(reply.status).toBe(403);
    expect(reply.body).toContain('rebind.example');
  });

  it('rejects a foreign Host header even with the token', async () => {
    const reply = await send(server.port, {
      method: 'POST',
      path: '/api/runs/list',
      headers: { host: `rebind.example:${server.port}`, authorization: `Bearer ${server.token}` },
    });

    expect(reply.status).toBe(403);
  });

  it('rejects a loopback Host header with another port', async () => {
    const reply = await send(server.port, { path: '/', headers: { host: `127.0.0.1:${server.port + 1}` } });

    expect(reply.status).toBe(403);
  });

  it('accepts localhost with the right port', async () => {
    const reply = await send(server.port, { path: '/', headers: { host: `localhost:${server.port}` } });

    expect(reply.status).toBe(200);
  });

  it('rejects a cross-origin API call', async () => {
    const reply = await send(server.port, {
      method: 'POST',
      path: '/api/runs/list',
      headers: { origin: 'http://rebind.example', authorization: `Bearer ${server.token}` },
    });

    expect(reply.status).toBe(403);
  });

  it('rejects a WebSocket upgrade with a foreign Host header', async () => {
    const status = await upgradeStatus(`ws://127.0.0.1:${server.port}/api/updates?token=${server.token}`, {
      host: `rebind.example:${server.port}`,
    });

    expect(status).toBe(403);
  });
});

describe('static files', () => {
  it('serves index.html with a CSP', async () => {
    const reply = await send(server.port, { path: '/' });

    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.body).toContain('test app');
    const csp = String(reply.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`ws://127.0.0.1:${server.port}`);
    expect(reply.headers['referrer-policy']).toBe('no-referrer');
  });

  it('serves scripts and styles with their content types', async () => {
    const script = await send(server.port, { path: '/assets/app.js' });
    const style = await send(server.port, { path: '/assets/app.css' });

    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.body).toBe('console.log("app");');
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('serves index.html for an app route', async () => {
    const reply = await send(server.port, { path: '/history' });

    expect(reply.status).toBe(200);
    expect(reply.body).toContain('test app');
  });

  it('answers 404 for a missing asset', async () => {
    expect((await send(server.port, { path: '/assets/missing.js' })).status).toBe(404);
  });

  it('does not serve files outside the renderer folder', async () => {
    const encoded = await send(server.port, { path: '/%2e%2e/secret.txt' });
    const raw = await send(server.port, { path: '/assets/../../secret.txt' });

    expect(encoded.status).toBe(404);
    expect(encoded.body).not.toContain('outside');
    expect(raw.body).not.toContain('outside');
  });

  it('explains how to build when the renderer is missing', async () => {
    const bare = await startServer({ dbPath: path.join(dir, 'bare.db'), rendererDir: path.join(dir, 'no-such-dir') });
    try {
      const reply = await send(bare.port, { path: '/' });

      expect(reply.status).toBe(503);
      expect(reply.body).toContain('npm run build');
    } finally {
      await bare.close();
    }
  });
});

describe('API over HTTP', () => {
  it('maps an invalid argument to 400 with the field', async () => {
    const reply = await callApi(server, 'runs/get', [0]);

    expect(reply.status).toBe(400);
    const payload = JSON.parse(reply.body);
    expect(payload.code).toBe('invalid-input');
    expect(payload.issues[0].field).toBe('runId');
  });

  it('maps an unknown run to 404', async () => {
    const reply = await callApi(server, 'runs/get', [12345]);

    expect(reply.status).toBe(404);
    expect(JSON.parse(reply.body).code).toBe('not-found');
  });

  it('maps an unknown method to 404', async () => {
    const reply = await callApi(server, 'runs/destroyAll');

    expect(reply.status).toBe(404);
  });

  it('rejects a body that is not JSON', async () => {
    const reply = await send(server.port, {
      method: 'POST',
      path: '/api/runs/list',
      headers: { authorization: `Bearer ${server.token}` },
      body: '{args: [}',
    });

    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body).message).toContain('not valid JSON');
  });

  it('rejects GET on an API route', async () => {
    const reply = await send(server.port, { path: '/api/runs/list', headers: { authorization: `Bearer ${server.token}` } });

    expect(reply.status).toBe(405);
  });

  it('trains a ring8 run end to end and streams its updates', async () => {
    const updates: LiveUpdate[] = [];
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api/updates?token=${server.token}`);
    socket.on('message', (data) => updates.push(JSON.parse(String(data)) as LiveUpdate));
    await new Promise((resolve) => socket.once('open', resolve));

    const config = { name: 'http round trip', dataset: { kind: 'ring8' }, steps: 30, logEvery: 5, sampleEvery: 15, backend: 'cpu' };
    const { runIds } = await callResult<{ runIds: number[] }>(server, 'training/start', [config]);
    expect(runIds).toHaveLength(1);
    const runId = runIds[0];

    let run = await callResult<RunRecord>(server, 'runs/get', [runId]);
    for (let attempt = 0; attempt < 600 && !['completed', 'failed', 'stopped'].includes(run.status); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      run = await callResult<RunRecord>(server, 'runs/get', [runId]);
    }
    socket.close();

    expect(run.error).toBeNull();
    expect(run.status).toBe('completed');
    expect(run.name).toBe('http round trip');
    expect(run.step).toBe(30);

    const metrics = await callResult<{ step: number; name: string }[]>(server, 'runs/metrics', [runId]);
    expect(metrics.length).toBeGreaterThan(0);

    const samples = await callResult<{ id: number; file: string | null }[]>(server, 'runs/samples', [runId]);
    expect(samples.length).toBeGreaterThan(0);
    const image = await callResult<string>(server, 'runs/sampleImage', [samples[0].id]);
    expect(image.startsWith('data:image/png;base64,')).toBe(true);
    const png = Buffer.from(image.slice('data:image/png;base64,'.length), 'base64');
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

    const statuses = updates.filter((update) => update.type === 'run' && update.run.id === runId).map((update) => (update as { run: RunRecord }).run.status);
    expect(statuses[0]).toBe('queued');
    expect(statuses.at(-1)).toBe('completed');
    expect(updates.some((update) => update.type === 'metrics' && update.runId === runId)).toBe(true);

    const listed = await callResult<RunRecord[]>(server, 'runs/list', [{ status: 'completed' }]);
    expect(listed.map((entry) => entry.id)).toContain(runId);
  });
});

describe('server options', () => {
  it('rejects an invalid port', async () => {
    await expect(startServer({ dbPath: path.join(dir, 'port.db'), port: 70000 })).rejects.toThrow('Invalid port 70000');
  });

  it('reports a port in use', async () => {
    await expect(startServer({ dbPath: path.join(dir, 'busy.db'), port: server.port })).rejects.toThrow('already in use');
  });
});
