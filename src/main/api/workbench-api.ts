// The main-side WorkbenchApi: one implementation behind the Electron IPC handlers and the
// browser-mode HTTP routes. Every argument is validated here, where it enters main.
import { z } from 'zod';
import { IDX_FILE_PURPOSES, type BackendStatus, type DatasetOption, type IdxFilePurpose, type LiveUpdate, type WorkbenchApi } from '../../shared/api';
import { listDatasetOptions } from '../data/dataset';
import type { RunStore } from '../store/run-store';
import { probeBackends } from '../training/backend';
import type { TrainingService } from '../training/training-service';
import packageJson from '../../../package.json';
import { parseArgument } from './parse-argument';
import { createRunsApi } from './runs-api';
import { createTrainingApi } from './training-api';

export interface WorkbenchApiOptions {
  store: RunStore;
  training: TrainingService;
  /** Absolute path of the open database, shown in the app's system information. */
  dbPath: string;
  shell: 'electron' | 'browser';
  /** Defaults to the version in package.json. */
  version?: string;
  /** Defaults to the dataset module's listDatasetOptions. */
  listDatasets?: () => DatasetOption[];
  /** Defaults to the backend module's probeBackends. */
  probeBackends?: () => Promise<BackendStatus[]>;
  /** Shows a file dialog (the desktop app passes Electron's); absent in browser mode. */
  chooseFile?: (purpose: IdxFilePurpose) => Promise<string | null>;
}

export function createWorkbenchApi(options: WorkbenchApiOptions): WorkbenchApi {
  const { store, training } = options;
  const listDatasets = options.listDatasets ?? listDatasetOptions;
  const probe = options.probeBackends ?? probeBackends;
  const listeners = new Set<(update: LiveUpdate) => void>();
  // Probing loads native modules, so it runs once per API instance.
  let backends: Promise<BackendStatus[]> | null = null;

  const emit = (update: LiveUpdate): void => {
    for (const listener of [...listeners]) listener(update);
  };

  return {
    runs: createRunsApi({ store, training, emit }),
    training: createTrainingApi({ store, training }),

    datasets: {
      async list() {
        return listDatasets();
      },
      async chooseFile(purpose) {
        const parsed = parseArgument(z.enum(IDX_FILE_PURPOSES), purpose, 'purpose');
        return options.chooseFile ? options.chooseFile(parsed) : null;
      },
    },

    system: {
      async info() {
        backends ??= probe();
        return {
          version: options.version ?? packageJson.version,
          dbPath: options.dbPath,
          shell: options.shell,
          backends: await backends,
          defaultBackend: 'auto',
        };
      },
    },

    onUpdate(listener) {
      listeners.add(listener);
      const unsubscribeTraining = training.onUpdate(listener);
      return () => {
        listeners.delete(listener);
        unsubscribeTraining();
      };
    },
  };
}
