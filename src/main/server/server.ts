// Browser mode: the WorkbenchApi over HTTP and a WebSocket, plus the built renderer, on
// 127.0.0.1 only and behind a random access token carried in the URL it prints.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkbenchApi } from '../../shared/api';
import { createWorkbenchApi } from '../api/workbench-api';
import { createLogger } from '../logger';
import { RunStore } from '../store/run-store';
import { TrainingService } from '../training/training-service';
import { handleApiRequest } from './api-routes';
import { attachLiveUpdates } from './live-updates';
import { isAllowedHost, isAllowedOrigin, requestToken, tokenMatches } from './request-guards';
import { sendError, sendText } from './responses';
import { serveStatic } from './static-files';

const log = createLogger('server');

export interface ServerOptions {
  dbPath: string;
  /** TCP port; 0 or absent picks a free one. */
  port?: number;
  /** Only the IPv4 loopback address is allowed: the token is the only other guard. */
  host?: '127.0.0.1';
  /** Folder with the built renderer's index.html; defaults to out/renderer of this checkout. */
  rendererDir?: string;
  /** Runs trained at once; passed to the TrainingService. */
  maxConcurrentRuns?: number;
}

export interface RunningServer {
  /** The URL to open, with the access token, e.g. `http://127.0.0.1:5178/?token=...`. */
  url: string;
  token: string;
  port: number;
  /** Stops active runs (they end as 'stopped'), closes all connections and the database. */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') {
    throw new Error(`Invalid host ${JSON.stringify(host)}: browser mode listens on 127.0.0.1 only.`);
  }
  const requestedPort = options.port ?? 0;
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new Error(`Invalid port ${requestedPort}: expected an integer from 1 to 65535, or 0 to pick a free port.`);
  }

  const rendererDir = findRendererDir(options.rendererDir);
  if (rendererDir === null) log.warn('no built renderer found; pages will ask the user to run `npm run build`');

  const store = RunStore.open(options.dbPath);
  const training = new TrainingService({ store, maxConcurrentRuns: options.maxConcurrentRuns });
  const api = createWorkbenchApi({ store, training, dbPath: path.resolve(options.dbPath), shell: 'browser' });
  const token = randomBytes(32).toString('base64url');

  // The port is known only after listen() when it was 0, so the handler reads it from here.
  const state = { port: requestedPort };
  const server = createServer((request, response) => {
    handleRequest(request, response, { api, token, port: state.port, rendererDir }).catch((error: unknown) => {
      log.error({ err: error, url: request.url?.split('?')[0] }, 'request failed');
      if (!response.headersSent) sendError(response, 500, { code: 'internal', message: 'Internal server error; the server log has the details.' });
      else response.destroy();
    });
  });

  try {
    state.port = await listen(server, requestedPort, host);
  } catch (error) {
    await training.close();
    store.close();
    throw error;
  }
  const updates = attachLiveUpdates(server, api, token, state.port, log);
  log.info({ port: state.port, dbPath: path.resolve(options.dbPath), rendererDir }, 'browser-mode server started');

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await training.close({ stopRuns: true });
      await updates.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      store.close();
      log.info({ port: state.port }, 'browser-mode server stopped');
    })();
    return closing;
  };

  return { url: `http://${host}:${state.port}/?token=${token}`, token, port: state.port, close };
}

interface RequestContext {
  api: WorkbenchApi;
  token: string;
  port: number;
  rendererDir: string | null;
}

async function handleRequest(request: IncomingMessage, response: ServerResponse, context: RequestContext): Promise<void> {
  const { api, token, port, rendererDir } = context;

  // A page served under another host name (DNS rebinding) reaches 127.0.0.1 with that name in Host.
  if (!isAllowedHost(request.headers.host, port)) {
    sendText(response, 403, `Rejected Host header ${JSON.stringify(request.headers.host ?? '')}: open http://127.0.0.1:${port}/ instead.`);
    return;
  }

  const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
  const isApi = url.pathname === '/api' || url.pathname.startsWith('/api/');
  if (!isApi) {
    await serveStatic(request, response, rendererDir, url.pathname, port);
    return;
  }

  if (!isAllowedOrigin(request.headers.origin, port)) {
    sendError(response, 403, { code: 'invalid-input', message: `Rejected cross-origin request from ${request.headers.origin}.` });
    return;
  }
  if (!tokenMatches(requestToken(request, url), token)) {
    sendError(response, 401, {
      code: 'invalid-input',
      message: 'Missing or wrong access token. Open the URL that `gan-workbench serve` printed, or send `Authorization: Bearer <token>`.',
    });
    return;
  }
  await handleApiRequest(request, response, url, api, log);
}

function listen(server: ReturnType<typeof createServer>, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      if (error.code === 'EADDRINUSE') {
        reject(new Error(`Port ${port} on ${host} is already in use; pass another --port, or 0 to pick a free one.`));
        return;
      }
      reject(error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Returns the first folder with an index.html among the given one and the usual build outputs. */
function findRendererDir(explicit: string | undefined): string | null {
  if (explicit !== undefined) {
    const dir = path.resolve(explicit);
    return existsSync(path.join(dir, 'index.html')) ? dir : null;
  }
  const moduleDir = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    path.resolve(moduleDir, '../../../out/renderer'), // running from src/main/server under tsx
    path.resolve(moduleDir, '../renderer'), // running from the built out/main
  ];
  return candidates.find((dir) => existsSync(path.join(dir, 'index.html'))) ?? null;
}
