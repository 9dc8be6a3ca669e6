// Electron entry: the only place that creates windows and registers IPC. Everything it
// calls (store, training service, API handlers) is plain Node, shared with the CLI and the
// browser mode.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, session, type IpcMainInvokeEvent } from 'electron';
import type { IdxFilePurpose, WorkbenchApi } from '../shared/api';
import { API_METHODS, channelFor, UPDATE_CHANNEL, type ApiDomain } from '../shared/bridge';
import { invokeApiMethod } from './api/invoke-api-method';
import { createWorkbenchApi } from './api/workbench-api';
import { createLogger } from './logger';
import { RunStore } from './store/run-store';
import { TrainingService } from './training/training-service';

const log = createLogger('electron-main');
const moduleDir = path.dirname(fileURLToPath(import.meta.url));
/** Set by `electron-vite dev` to its dev server; absent in the built app. */
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const rendererIndex = path.join(moduleDir, '../renderer/index.html');

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface Services {
  store: RunStore;
  training: TrainingService;
  api: WorkbenchApi;
}

/** Checks whether a URL is the app's own page: the built index.html, or the dev server in development. */
function isAppUrl(url: string): boolean {
  if (devServerUrl) return url.startsWith(new URL(devServerUrl).origin + '/');
  const appUrl = pathToFileURL(rendererIndex).href;
  return url === appUrl || url.startsWith(`${appUrl}#`) || url.startsWith(`${appUrl}?`);
}

/** Accepts IPC only from the top frame of a window showing the app's own page. */
function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

/** The preload as electron-vite built it; sandboxed preloads must be CommonJS. */
function preloadPath(): string {
  const candidates = ['index.cjs', 'index.js', 'index.mjs'].map((name) => path.join(moduleDir, '../preload', name));
  return candidates.find((file) => existsSync(file)) ?? candidates[0];
}

function registerIpc(api: WorkbenchApi): void {
  for (const [domain, methods] of Object.entries(API_METHODS) as [ApiDomain, string[]][]) {
    for (const method of methods) {
      ipcMain.handle(channelFor(domain, method), async (event, ...args: unknown[]) => {
        if (!isTrustedSender(event)) {
          log.warn({ channel: channelFor(domain, method), url: event.senderFrame?.url }, 'rejected IPC from a frame that is not the app');
          return { ok: false, error: { code: 'invalid-input', message: 'IPC is accepted only from the app window.' } };
        }
        return invokeApiMethod(api, domain, method, args, log);
      });
    }
  }
}

function lockDownContents(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

/** Opens Electron's file dialog for an IDX images or labels file. */
async function chooseIdxFile(purpose: IdxFilePurpose): Promise<string | null> {
  const window = BrowserWindow.getFocusedWindow();
  const options: Electron.OpenDialogOptions = {
    title: purpose === 'images' ? 'Choose an IDX image file' : 'Choose an IDX label file',
    properties: ['openFile'],
    filters: [
      { name: 'IDX files', extensions: ['gz', 'ubyte', 'idx'] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

/** Set once the user has agreed to stop active runs, so the quit that follows does not ask again. */
let quitConfirmed = false;

/** Asks whether to stop the active runs and quit; returns true for "Stop runs and quit". */
function confirmStopRuns(training: TrainingService, window: BrowserWindow | null): boolean {
  const active = training.active().length;
  const options: Electron.MessageBoxSyncOptions = {
    type: 'question',
    buttons: ['Stop runs and quit', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    title: 'Runs are still training',
    message: `${active} run${active === 1 ? ' is' : 's are'} still training.`,
    detail:
      'Training runs inside GAN Workbench and cannot continue after it quits. ' +
      "Quitting stops them; they stay in the run history with status 'stopped'.",
  };
  const choice = window ? dialog.showMessageBoxSync(window, options) : dialog.showMessageBoxSync(options);
  return choice === 0;
}

function createWindow(services: Services, requestQuit: () => void): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    show: false,
    title: 'GAN Workbench',
    webPreferences: {
      preload: preloadPath(),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());

  const unsubscribe = services.api.onUpdate((update) => {
    if (!window.isDestroyed()) window.webContents.send(UPDATE_CHANNEL, update);
  });
  window.on('closed', unsubscribe);

  // Runs train in this process, so they cannot outlive it: closing with active runs shows a confirmation dialog first.
  window.on('close', (event) => {
    if (quitConfirmed || services.training.active().length === 0) return;

    event.preventDefault();
    if (confirmStopRuns(services.training, window)) {
      quitConfirmed = true;
      requestQuit();
    }
  });

  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(rendererIndex);
  return window;
}

async function main(): Promise<void> {
  await app.whenReady();

  const dbPath = path.join(app.getPath('userData'), 'workbench.db');
  const store = RunStore.open(dbPath);
  const training = new TrainingService({ store });
  const api = createWorkbenchApi({ store, training, dbPath, shell: 'electron', version: app.getVersion(), chooseFile: chooseIdxFile });
  const services: Services = { store, training, api };
  log.info({ dbPath }, 'desktop app started');

  lockDownContents();
  registerIpc(api);

  let shutdown: Promise<void> | null = null;
  const quit = (): void => {
    shutdown ??= training
      .close({ stopRuns: true })
      .catch((error: unknown) => log.error({ err: error }, 'stopping runs failed'))
      .finally(() => {
        store.close();
        app.exit(0);
      });
  };

  // Every quit path (menu, last window closed, OS shutdown) confirms before stopping active
  // runs, then stops them and closes the database; quit() ends with app.exit, which emits no further events.
  app.on('before-quit', (event) => {
    event.preventDefault();
    if (!quitConfirmed && training.active().length > 0) {
      if (!confirmStopRuns(training, BrowserWindow.getFocusedWindow())) return;
    }
    quitConfirmed = true;
    quit();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow(services, () => app.quit());
  });

  createWindow(services, () => app.quit());
}

main().catch((error: unknown) => {
  log.error({ err: error }, 'desktop app failed to start');
  dialog.showErrorBox('GAN Workbench could not start', error instanceof Error ? error.message : String(error));
  app.exit(1);
});
