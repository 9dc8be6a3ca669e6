// zod schemas for every API argument that is not a run config (configs go through
// parseRunConfig). Arguments arrive from the renderer or over HTTP, so none is trusted.
import { z } from 'zod';
import type { DatasetKind } from '../../shared/config';
import { RUN_STATUSES } from '../../shared/run';
import { MAX_NAME_LENGTH, MAX_TAG_LENGTH, MAX_TAGS } from '../store/store-input';

export { MAX_NAME_LENGTH };
export const MAX_SEEDS = 100;

// A Record over DatasetKind, so TypeScript rejects a missing or unknown kind.
const DATASET_KINDS: Record<DatasetKind, true> = { ring8: true, grid25: true, 'fashion-mnist': true, idx: true };

export const idSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const runNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`);

export const tagsSchema = z
  .array(
    z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(MAX_TAG_LENGTH, `must be at most ${MAX_TAG_LENGTH} characters`),
  )
  .max(MAX_TAGS, `must list at most ${MAX_TAGS} tags`);

export const runFilterSchema = z.strictObject({
  status: z.enum(RUN_STATUSES).optional(),
  datasetKind: z.enum(Object.keys(DATASET_KINDS) as [DatasetKind, ...DatasetKind[]]).optional(),
  loss: z.string().max(MAX_NAME_LENGTH).optional(),
  search: z.string().max(MAX_NAME_LENGTH).optional(),
});

export const metricsOptionsSchema = z.strictObject({
  names: z.array(z.string().min(1).max(MAX_NAME_LENGTH)).max(200).optional(),
  sinceStep: z.number().int().min(0).optional(),
});

export const startOptionsSchema = z.strictObject({
  seeds: z
    .array(z.number().int().min(0).max(2 ** 31 - 1))
    .min(1, 'must list at least one seed')
    .max(MAX_SEEDS, `must list at most ${MAX_SEEDS} seeds`)
    .refine((seeds) => new Set(seeds).size === seeds.length, 'must not repeat a seed')
    .optional(),
});
