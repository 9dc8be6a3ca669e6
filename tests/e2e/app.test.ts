// Drives the real renderer in Debian's Chromium against the browser-mode server: set up a
// ring8 run, watch it train, see its balance verdict and mode-collapse indicators, stop it, and
// find it with its verdict in the history. Screenshots of each view go to test-results/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/main/server/server';

const CHROMIUM = '/usr/bin/chromium';
const root = path.resolve(import.meta.dirname, '../..');
const rendererDir = path.join(root, 'out', 'renderer');
const screenshots = path.join(root, 'test-results');

let dir: string;
let server: RunningServer;
let context: BrowserContext;
let page: Page;

/** Sends a request to the server with the given Host header, as a page under another name would. */
function statusWithHost(port: number, host: string, pathname: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path: pathname, headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.end();
  });
}

/** Reads a numeric attribute of the first element that matches, or -1 when it is absent. */
async function numericAttribute(selector: string, name: string): Promise<number> {
  const element = page.locator(selector).first();
  if ((await element.count()) === 0) return -1;
  const value = await element.getAttribute(name, { timeout: 1000 });
  return value === null ? -1 : Number(value);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing; install Debian's chromium package (apt-get install chromium).`);

  // Build the renderer as it is now, so the test never runs an outdated bundle.
  const build = spawnSync(path.join(root, 'node_modules', '.bin', 'electron-vite'), ['build'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`electron-vite build failed:\n${build.stdout}\n${build.stderr}`);

  dir = mkdtempSync(path.join(tmpdir(), 'e2e-'));
  mkdirSync(screenshots, { recursive: true });
  server = await startServer({ dbPath: path.join(dir, 'workbench.db'), rendererDir, maxConcurrentRuns: 1 });

  context = await chromium.launchPersistentContext(path.join(dir, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = context.pages()[0] ?? (await context.newPage());
});

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('browser mode in Chromium', () => {
  it('trains, judges, stops and lists a ring8 run', async () => {
    const pageErrors: string[] = [];
    const consoleErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });

    await page.goto(server.url);
    await page.getByTestId('nav-setup').click();
    await expect.poll(() => page.getByTestId('setup-dataset').isVisible(), { timeout: 30_000 }).toBe(true);
    // The client moves the token from the address bar into session storage.
    expect(page.url()).not.toContain('token=');

    await page.getByTestId('setup-dataset').selectOption('ring8');
    await page.getByTestId('setup-model').selectOption('mlp');
    await page.getByTestId('setup-loss').selectOption('ns');
    await page.getByTestId('setup-steps').fill('200000');
    // Evaluate the mode-collapse indicators early, so the test need not wait 250 steps.
    await page.getByTestId('setup-eval-every').fill('50');
    await expect.poll(() => page.getByTestId('setup-start').isEnabled(), { timeout: 30_000 }).toBe(true);
    await page.screenshot({ path: path.join(screenshots, 'e2e-setup.png'), fullPage: true });

    await page.getByTestId('setup-start').click();
    await page.getByTestId('nav-live').click();

    // The loss chart gains points and the scatter moves on to later steps while the run trains.
    await expect.poll(() => numericAttribute('[data-testid="live-loss-chart"]', 'data-points'), { timeout: 120_000 }).toBeGreaterThan(0);
    const firstPoints = await numericAttribute('[data-testid="live-loss-chart"]', 'data-points');
    await expect.poll(() => numericAttribute('[data-testid="live-loss-chart"]', 'data-points'), { timeout: 120_000 }).toBeGreaterThan(firstPoints);

    await expect.poll(() => numericAttribute('[data-testid="live-scatter"]', 'data-step'), { timeout: 120_000 }).toBeGreaterThanOrEqual(0);
    const firstSampleStep = await numericAttribute('[data-testid="live-scatter"]', 'data-step');
    await expect.poll(() => numericAttribute('[data-testid="live-scatter"]', 'data-step'), { timeout: 120_000 }).toBeGreaterThan(firstSampleStep);

    // The verdict leaves warming-up once the engine has a window of logged steps, and the first
    // evaluation fills the modes-covered indicator and the timeline strip.
    await expect.poll(() => page.getByTestId('live-verdict').getAttribute('data-verdict'), { timeout: 120_000 }).not.toBe('warming-up');
    expect(await page.getByTestId('live-verdict-label').textContent()).not.toBe('');
    await expect.poll(() => page.getByTestId('live-modes-covered').textContent(), { timeout: 120_000 }).toMatch(/^Modes covered\d of 8$/);
    await expect.poll(() => numericAttribute('[data-testid="live-verdict-timeline"]', 'data-segments'), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(() => numericAttribute('[data-testid="live-collapse-histogram"]', 'data-bins'), { timeout: 30_000 }).toBe(8);
    await page.screenshot({ path: path.join(screenshots, 'e2e-live.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(screenshots, 'e2e-live-dark.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });

    await page.getByTestId('live-stop').click();

    await page.getByTestId('nav-history').click();
    await expect.poll(() => page.getByTestId('history-table').isVisible(), { timeout: 30_000 }).toBe(true);
    const row = page.locator('[data-testid^="history-row-"]').first();
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 60_000 }).toBe('stopped');
    const verdict = row.locator('[data-testid^="history-verdict-"] [data-verdict]');
    await expect.poll(() => verdict.count(), { timeout: 30_000 }).toBe(1);
    expect(await verdict.getAttribute('data-verdict')).not.toBe('warming-up');
    await page.screenshot({ path: path.join(screenshots, 'e2e-history.png'), fullPage: true });

    expect(pageErrors).toEqual([]);
    // CSP violations and failed requests show up here.
    expect(consoleErrors).toEqual([]);
  });

  it('rejects API calls without the token', async () => {
    const status = await page.evaluate(async () => {
      const response = await fetch('/api/runs/list', { method: 'POST', body: '{"args":[]}' });
      return response.status;
    });

    expect(status).toBe(401);
  });

  it('rejects a foreign Host header', async () => {
    expect(await statusWithHost(server.port, `rebind.example:${server.port}`, '/')).toBe(403);
    expect(await statusWithHost(server.port, `127.0.0.1:${server.port}`, '/')).toBe(200);
  });
});
