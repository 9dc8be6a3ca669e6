// Exponential moving average for smoothing metric curves, the way TensorBoard's smoothing
// slider works: s_t = w·s_{t-1} + (1 − w)·y_t with s_0 = 0, shown debiased as s_t / (1 − w^t)
// so the curve does not start near zero.

/**
 * Smooths `values` with weight `weight` in [0, 1). Non-finite values (a diverged loss) pass
 * through unchanged and do not enter the average, so one NaN does not blank the rest.
 */
export function smoothEma(values: ArrayLike<number>, weight: number): number[] {
  if (!(weight >= 0 && weight < 1)) {
    throw new RangeError(`Invalid smoothing weight ${weight}: expected a number in [0, 1), e.g. 0.6.`);
  }

  const smoothed = new Array<number>(values.length);
  let average = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (!Number.isFinite(value)) {
      smoothed[i] = value;
      continue;
    }

    average = weight * average + (1 - weight) * value;
    count += 1;
    smoothed[i] = weight === 0 ? value : average / (1 - weight ** count);
  }

  return smoothed;
}
