// Argument check shared by the datasets' batch functions.

/** @throws RangeError unless `value` is a positive integer. */
export function checkBatchSize(name: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(`Invalid ${name}: expected a positive integer, found ${value}. Pass the number of items to sample.`);
  }
}
