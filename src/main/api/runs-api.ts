// The main-side RunsApi: reads and edits the run history in the store, validating every argument.
import { readFile } from 'node:fs/promises';
import type { LiveUpdate, RunsApi } from '../../shared/api';
import type { RunStore } from '../store/run-store';
import type { TrainingService } from '../training/training-service';
import { conflict, notFound } from './api-errors';
import { parseArgument } from './parse-argument';
import { idSchema, metricsOptionsSchema, runFilterSchema, runNameSchema, tagsSchema } from './payload-schemas';

export interface RunsApiOptions {
  store: RunStore;
  training: TrainingService;
  /** Sends an update to every live-update listener (the run after an edit, the id after a delete). */
  emit: (update: LiveUpdate) => void;
}

export function createRunsApi({ store, training, emit }: RunsApiOptions): RunsApi {
  return {
    async list(filter) {
      return store.listRuns(parseArgument(runFilterSchema.optional(), filter, 'filter'));
    },

    async get(runId) {
      return store.getRun(parseArgument(idSchema, runId, 'runId'));
    },

    async metrics(runId, options) {
      const id = parseArgument(idSchema, runId, 'runId');
      const parsed = parseArgument(metricsOptionsSchema.optional(), options, 'options') ?? {};
      return store.getMetrics(id, parsed);
    },

    async samples(runId) {
      return store.getSamples(parseArgument(idSchema, runId, 'runId'));
    },

    async sampleImage(sampleId) {
      const id = parseArgument(idSchema, sampleId, 'sampleId');
      const sample = store.getSample(id);
      if (!sample.file) throw notFound(`Sample ${id} has no image file (its kind is '${sample.kind}').`);

      try {
        const png = await readFile(sample.file);
        return `data:image/png;base64,${png.toString('base64')}`;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          throw notFound(`The image file of sample ${id} is missing: ${sample.file}. It may have been moved or deleted.`);
        }
        throw error;
      }
    },

    async events(runId) {
      return store.getEvents(parseArgument(idSchema, runId, 'runId'));
    },

    async rename(runId, name) {
      const id = parseArgument(idSchema, runId, 'runId');
      const run = store.renameRun(id, parseArgument(runNameSchema, name, 'name'));
      emit({ type: 'run', run });
      return run;
    },

    async setTags(runId, tags) {
      const id = parseArgument(idSchema, runId, 'runId');
      const run = store.setTags(id, parseArgument(tagsSchema, tags, 'tags'));
      emit({ type: 'run', run });
      return run;
    },

    async delete(runId) {
      const id = parseArgument(idSchema, runId, 'runId');
      if (training.active().some((active) => active.runId === id)) {
        throw conflict(`Run ${id} is still training; stop it before deleting it.`);
      }
      store.deleteRun(id);
      emit({ type: 'run-deleted', runId: id });
    },
  };
}

