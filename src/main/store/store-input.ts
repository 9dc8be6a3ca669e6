// Checks on the arguments of RunStore calls. Each failure is an InvalidInputError that
// names the value, what was expected and what to do, and is raised before any write.
import type { RunFilter } from '../../shared/api';
import { datasetSchema, LOSS_KINDS } from '../../shared/config';
import type { MetricPoint, RunStatus } from '../../shared/run';
import { EVENT_KINDS, FINAL_STATUSES, RUN_STATUSES, SAMPLE_KINDS } from '../../shared/run';
import { InvalidInputError } from './store-errors';

export const MAX_NAME_LENGTH = 200;
export const MAX_TAG_LENGTH = 64;
export const MAX_TAGS = 50;

const DATASET_KINDS: readonly string[] = datasetSchema.options.map((option) => option.shape.kind.value);

function show(value: unknown): string {
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value) ?? String(value);
}

function requireOneOf(label: string, value: unknown, allowed: readonly string[]): void {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw new InvalidInputError(`Invalid ${label} ${show(value)}: expected one of ${allowed.join(', ')}.`);
  }
}

export function requireId(label: 'run' | 'sample', id: unknown): number {
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) {
    throw new InvalidInputError(`Invalid ${label} id ${show(id)}: expected a positive integer such as 1.`);
  }
  return id;
}

export function requireStep(step: unknown): number {
  if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0) {
    throw new InvalidInputError(`Invalid step ${show(step)}: expected a non-negative integer.`);
  }
  return step;
}

/** Trims a run name and checks that something is left and that it fits. */
export function normalizeRunName(name: unknown): string {
  if (typeof name !== 'string') {
    throw new InvalidInputError(`Invalid run name ${show(name)}: expected a string.`);
  }

  const trimmed = name.trim();
  if (trimmed === '') {
    throw new InvalidInputError(`Invalid run name ${show(name)}: expected at least one visible character.`);
  }
  if (trimmed.length > MAX_NAME_LENGTH) {
    throw new InvalidInputError(
      `Invalid run name of ${trimmed.length} characters: the limit is ${MAX_NAME_LENGTH}; shorten it.`,
    );
  }
  return trimmed;
}

/** Trims each tag, drops repeats (keeping the first), and checks count and lengths. */
export function normalizeTags(tags: unknown): string[] {
  if (!Array.isArray(tags)) {
    throw new InvalidInputError(`Invalid tags ${show(tags)}: expected an array of strings such as ["baseline"].`);
  }

  const unique = new Set<string>();
  for (const tag of tags) {
    if (typeof tag !== 'string' || tag.trim() === '') {
      throw new InvalidInputError(`Invalid tag ${show(tag)}: expected a non-empty string.`);
    }
    const trimmed = tag.trim();
    if (trimmed.length > MAX_TAG_LENGTH) {
      throw new InvalidInputError(`Invalid tag ${show(trimmed)}: tags are limited to ${MAX_TAG_LENGTH} characters.`);
    }
    unique.add(trimmed);
  }

  if (unique.size > MAX_TAGS) {
    throw new InvalidInputError(`Too many tags (${unique.size}): a run can have at most ${MAX_TAGS}.`);
  }
  return [...unique];
}

export function requireFinalStatus(status: unknown): Exclude<RunStatus, 'queued' | 'running'> {
  requireOneOf('final run status', status, FINAL_STATUSES);
  return status as Exclude<RunStatus, 'queued' | 'running'>;
}

export function requireSampleKind(kind: unknown): void {
  requireOneOf('sample kind', kind, SAMPLE_KINDS);
}

export function requireEventKind(kind: unknown): void {
  requireOneOf('event kind', kind, EVENT_KINDS);
}

export function requireMessage(message: unknown): string {
  if (typeof message !== 'string') {
    throw new InvalidInputError(`Invalid event message ${show(message)}: expected a string.`);
  }
  return message;
}

export function requireErrorText(error: unknown): string | null {
  if (error !== null && typeof error !== 'string') {
    throw new InvalidInputError(`Invalid run error ${show(error)}: expected a string or null.`);
  }
  return error;
}

export function requireMetricName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new InvalidInputError(`Invalid metric name ${show(name)}: expected a non-empty string such as "lossD".`);
  }
  return name;
}

/** Checks every point first, so that one bad point rejects the whole batch. NaN values are allowed. */
export function requireMetricPoints(points: unknown): MetricPoint[] {
  if (!Array.isArray(points)) {
    throw new InvalidInputError(`Invalid metric points ${show(points)}: expected an array of {step, name, value}.`);
  }

  for (const point of points as Partial<MetricPoint>[]) {
    requireStep(point?.step);
    requireMetricName(point?.name);
    if (typeof point.value !== 'number') {
      throw new InvalidInputError(
        `Invalid value ${show(point.value)} for metric "${point.name}" at step ${point.step}: expected a number.`,
      );
    }
  }
  return points as MetricPoint[];
}

export function requireRunFilter(filter: RunFilter): void {
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) {
    throw new InvalidInputError(`Invalid run filter ${show(filter)}: expected an object such as {"status": "completed"}.`);
  }
  if (filter.status !== undefined) requireOneOf('status filter', filter.status, RUN_STATUSES);
  if (filter.datasetKind !== undefined) requireOneOf('dataset filter', filter.datasetKind, DATASET_KINDS);
  if (filter.loss !== undefined) requireOneOf('loss filter', filter.loss, LOSS_KINDS);
  if (filter.search !== undefined && typeof filter.search !== 'string') {
    throw new InvalidInputError(`Invalid search text ${show(filter.search)}: expected a string.`);
  }
}
