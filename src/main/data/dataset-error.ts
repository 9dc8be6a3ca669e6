// The error every dataset loader throws for a missing, damaged or unsuitable file.

/** A dataset file that cannot be used, with what was expected and what was found in it. */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';

  constructor(
    /** The file (or folder) at fault. */
    readonly file: string,
    /** The requirement, e.g. `47,040,016 bytes for 60000×28×28 images`. */
    readonly expected: string,
    /** The observed value, e.g. `1,000 bytes`. */
    readonly found: string,
    message: string,
  ) {
    super(message);
  }
}

/** Formats a count with thousands separators, e.g. 47040016 → `47,040,016`. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}
