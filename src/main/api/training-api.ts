// The main-side TrainingApi: validates configs and controls runs through the TrainingService.
import type { TrainingApi } from '../../shared/api';
import { parseRunConfig } from '../../shared/config';
import type { RunStore } from '../store/run-store';
import type { TrainingService } from '../training/training-service';
import { conflict } from './api-errors';
import { parseArgument, parseConfigArgument } from './parse-argument';
import { MAX_NAME_LENGTH, idSchema, startOptionsSchema } from './payload-schemas';

export interface TrainingApiOptions {
  store: RunStore;
  training: TrainingService;
}

export function createTrainingApi({ store, training }: TrainingApiOptions): TrainingApi {
  /** Raises not-found for an unknown run and conflict for one that is no longer queued or running. */
  const requireActive = (runId: unknown, action: string): number => {
    const id = parseArgument(idSchema, runId, 'runId');
    if (training.active().some((active) => active.runId === id)) return id;

    const run = store.getRun(id);
    throw conflict(`Run ${id} is ${run.status}; only queued or running runs can be ${action}.`);
  };

  return {
    async validate(config) {
      const parsed = parseRunConfig(config);
      return parsed.ok ? { ok: true, issues: [], config: parsed.config } : { ok: false, issues: parsed.issues, config: null };
    },

    async start(config, options) {
      const parsed = parseConfigArgument(config);
      const seeds = parseArgument(startOptionsSchema.optional(), options, 'options')?.seeds ?? [parsed.seed];

      const runIds = seeds.map((seed) => {
        const name = parsed.name && seeds.length > 1 ? withSeedSuffix(parsed.name, seed) : parsed.name;
        return training.start({ ...parsed, seed, name }).id;
      });
      return { runIds };
    },

    async stop(runId) {
      training.stop(requireActive(runId, 'stopped'));
    },

    async pause(runId) {
      training.pause(requireActive(runId, 'paused'));
    },

    async resume(runId) {
      training.resume(requireActive(runId, 'resumed'));
    },

    async active() {
      return training.active();
    },
  };
}

/** Tells the runs of a multi-seed start apart, keeping the name within its length limit. */
function withSeedSuffix(name: string, seed: number): string {
  const suffix = ` (seed ${seed})`;
  return name.slice(0, MAX_NAME_LENGTH - suffix.length) + suffix;
}
