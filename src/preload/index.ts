// Exposes the typed WorkbenchBridge as `window.workbench`, and nothing else: one IPC invoke
// channel per API method, plus the live-update subscription.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { LiveUpdate } from '../shared/api';
import { API_METHODS, channelFor, UPDATE_CHANNEL, type ApiDomain, type WorkbenchBridge } from '../shared/bridge';

function buildBridge(): WorkbenchBridge {
  const domains: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const [domain, methods] of Object.entries(API_METHODS) as [ApiDomain, string[]][]) {
    domains[domain] = {};
    for (const method of methods) {
      const channel = channelFor(domain, method);
      domains[domain][method] = (...args: unknown[]) => ipcRenderer.invoke(channel, ...args);
    }
  }

  const onUpdate = (listener: (update: LiveUpdate) => void): (() => void) => {
    const handler = (_event: IpcRendererEvent, update: LiveUpdate): void => listener(update);
    ipcRenderer.on(UPDATE_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(UPDATE_CHANNEL, handler);
    };
  };

  return { ...(domains as unknown as Omit<WorkbenchBridge, 'onUpdate'>), onUpdate };
}

contextBridge.exposeInMainWorld('workbench', buildBridge());
