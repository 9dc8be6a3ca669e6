// Validates one API argument with zod and raises 'invalid-input' naming the field.
import type { z } from 'zod';
import { formatConfigIssues, parseRunConfig, type ConfigIssue, type RunConfig } from '../../shared/config';
import { invalidInput } from './api-errors';

function valueAtPath(input: unknown, path: PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Parses `value` with `schema`; on failure raises invalid-input with one issue per field, each named `<name>.<path>`. */
export function parseArgument<T>(schema: z.ZodType<T>, value: unknown, name: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;

  const issues: ConfigIssue[] = result.error.issues.map((issue) => ({
    field: [name, ...issue.path.map(String)].join('.'),
    message: issue.message,
    value: valueAtPath(value, issue.path),
  }));
  throw invalidInput(`Invalid argument ${formatConfigIssues(issues).replaceAll('\n', '; ')}`, issues);
}

/** Parses a run config; on failure raises invalid-input whose issues name config fields such as `optimizerD.learningRate`. */
export function parseConfigArgument(config: unknown): RunConfig {
  const parsed = parseRunConfig(config);
  if (parsed.ok) return parsed.config;

  throw invalidInput(`Invalid run config: ${formatConfigIssues(parsed.issues).replaceAll('\n', '; ')}`, parsed.issues);
}
