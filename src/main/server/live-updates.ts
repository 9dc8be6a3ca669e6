// Pushes every LiveUpdate to the browser over a WebSocket at /api/updates, after the same
// Host and token checks as the HTTP API.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { WorkbenchApi } from '../../shared/api';
import type { Logger } from '../logger';
import { isAllowedHost, isAllowedOrigin, requestToken, tokenMatches } from './request-guards';

export const UPDATES_PATH = '/api/updates';

/** Unsent bytes a client may fall behind by before it is disconnected (it reconnects and refetches). */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export interface LiveUpdateSocket {
  /** Closes every client connection and the WebSocket server. */
  close(): Promise<void>;
}

export function attachLiveUpdates(server: Server, api: WorkbenchApi, token: string, port: number, log: Logger): LiveUpdateSocket {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    const rejection = upgradeRejection(request, url, token, port);
    if (rejection) {
      log.warn({ path: url.pathname, status: rejection.status }, 'rejected WebSocket upgrade');
      socket.end(`HTTP/1.1 ${rejection.status} ${rejection.reason}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${rejection.message}`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (client) => sockets.emit('connection', client, request));
  });

  sockets.on('connection', (client: WebSocket) => {
    const unsubscribe = api.onUpdate((update) => {
      if (client.readyState !== WebSocket.OPEN) return;
      if (client.bufferedAmount > MAX_BUFFERED_BYTES) {
        log.warn({ bufferedBytes: client.bufferedAmount }, 'live-update client fell behind; disconnecting it');
        client.terminate();
        return;
      }
      client.send(JSON.stringify(update));
    });
    client.on('close', unsubscribe);
    client.on('error', (error) => log.warn({ err: error }, 'live-update socket error'));
  });

  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close(() => resolve());
      }),
  };
}

function upgradeRejection(
  request: IncomingMessage,
  url: URL,
  token: string,
  port: number,
): { status: number; reason: string; message: string } | null {
  if (url.pathname !== UPDATES_PATH) {
    return { status: 404, reason: 'Not Found', message: `WebSocket connections go to ${UPDATES_PATH}.` };
  }
  if (!isAllowedHost(request.headers.host, port) || !isAllowedOrigin(request.headers.origin, port)) {
    return { status: 403, reason: 'Forbidden', message: `Connect through http://127.0.0.1:${port}/.` };
  }
  if (!tokenMatches(requestToken(request, url), token)) {
    return { status: 401, reason: 'Unauthorized', message: 'Missing or wrong access token; add ?token=<the token serve printed>.' };
  }
  return null;
}
