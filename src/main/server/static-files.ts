// Serves the built renderer (electron-vite's `out/renderer`) to the browser.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { COMMON_HEADERS, sendText } from './responses';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

/**
 * Builds the page's Content-Security-Policy: scripts, styles, fonts and connections only from this
 * server; images also from data: URLs (sample images arrive as data URLs). Inline styles stay
 * allowed because Vue and Chart.js set style attributes.
 */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Resolves a URL path to a file inside `root`, or null when the path escapes it or cannot be
 * decoded. Paths without a file extension map to index.html, so reloading an app route works.
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;

  const relative = decoded === '/' || path.extname(decoded) === '' ? '/index.html' : decoded;
  const file = path.resolve(root, `.${relative}`);
  return file.startsWith(root + path.sep) ? file : null;
}

export async function serveStatic(
  request: IncomingMessage,
  response: ServerResponse,
  rendererDir: string | null,
  urlPath: string,
  port: number,
): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendText(response, 405, `Method ${request.method} is not allowed here; use GET.`, { Allow: 'GET, HEAD' });
    return;
  }
  if (rendererDir === null) {
    sendNotBuiltPage(response);
    return;
  }

  const file = resolveStaticPath(rendererDir, urlPath);
  const info = file ? await stat(file).catch(() => null) : null;
  if (!file || !info?.isFile()) {
    // Browsers ask for a favicon on their own; without one, an empty response keeps their consoles free of 404s.
    if (urlPath === '/favicon.ico') {
      response.writeHead(204, COMMON_HEADERS).end();
      return;
    }
    sendText(response, 404, `Not found: ${urlPath}`);
    return;
  }

  response.writeHead(200, {
    ...COMMON_HEADERS,
    'Content-Type': contentTypeFor(file),
    'Content-Length': info.size,
    'Content-Security-Policy': contentSecurityPolicy(port),
    'Cache-Control': 'no-cache',
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  createReadStream(file).pipe(response);
}

function sendNotBuiltPage(response: ServerResponse): void {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>GAN Workbench: renderer not built</title></head>
<body>
<h1>The GAN Workbench renderer is not built</h1>
<p>The server is running and its API works, but it found no built renderer (out/renderer/index.html).</p>
<p>Run <code>npm run build</code> in the GAN Workbench folder, then reload this page.</p>
</body></html>`;
  response.writeHead(503, {
    ...COMMON_HEADERS,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Content-Security-Policy': "default-src 'none'",
    'Cache-Control': 'no-store',
  });
  response.end(html);
}
