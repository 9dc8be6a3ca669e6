// The browser-mode server's two gates: the Host header must name the loopback address the
// server listens on (so a DNS-rebinding page on another name is turned away), and API calls
// must carry the random access token.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Host header values the server accepts: its own loopback address and `localhost`, with its port. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function isAllowedHost(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false;
  return allowedHosts(port).includes(hostHeader.toLowerCase());
}

/**
 * Checks whether a browser's Origin header belongs to this server. Requests without an Origin (curl,
 * Node clients, same-origin GETs) pass; the token still guards them.
 */
export function isAllowedOrigin(originHeader: string | undefined, port: number): boolean {
  if (originHeader === undefined) return true;
  return allowedHosts(port).some((host) => originHeader.toLowerCase() === `http://${host}`);
}

/** Returns the token from `Authorization: Bearer <token>` or, for WebSocket upgrades and links, from `?token=`. */
export function requestToken(request: IncomingMessage, url: URL): string | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return url.searchParams.get('token');
}

/** Compares in constant time, so response timing does not reveal how much of a guess matched. */
export function tokenMatches(candidate: string | null, token: string): boolean {
  if (candidate === null) return false;
  const expected = Buffer.from(token, 'utf8');
  const received = Buffer.from(candidate, 'utf8');
  return received.length === expected.length && timingSafeEqual(received, expected);
}
