// Plain-English messages for config validation issues, shared by the CLI, the API and the setup
// form. zod's own wording ("Too small: expected number to be >0", "Invalid discriminator
// value") reads oddly to users, and "discriminator" clashes with the network of that name.
import type { z } from 'zod';

type RawIssue = z.core.$ZodRawIssue;

function formatBound(value: unknown): string {
  return typeof value === 'bigint' ? value.toString() : String(value);
}

function listChoices(values: readonly unknown[]): string {
  return values.map((value) => JSON.stringify(value)).join(', ');
}

/** Returns the message for one issue, or undefined to keep zod's default. */
export function configIssueMessage(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return 'must not be empty';
      if (issue.origin === 'array') return `must have at least ${formatBound(issue.minimum)} entries`;
      return `must be ${issue.inclusive ? 'at least' : 'greater than'} ${formatBound(issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${formatBound(issue.maximum)} characters`;
      if (issue.origin === 'array') return `must have at most ${formatBound(issue.maximum)} entries`;
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${formatBound(issue.maximum)}`;
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      if (issue.expected === 'int') return 'must be a whole number';
      if (issue.expected === 'number' && typeof issue.input === 'number') return 'must be a finite number';
      return `must be ${issue.expected === 'object' ? 'an object' : `a ${issue.expected}`}, not ${Array.isArray(issue.input) ? 'an array' : typeof issue.input}`;
    case 'invalid_value':
      return issue.values.length === 1 ? `must be ${listChoices(issue.values)}` : `must be one of ${listChoices(issue.values)}`;
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      const key = (issue as { discriminator?: string }).discriminator;
      if (key && options) return `unknown ${key}; expected one of ${listChoices(options)}`;
      return undefined;
    }
    default:
      return undefined;
  }
}
