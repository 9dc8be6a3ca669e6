// Class-level mode-collapse indicators for labelled image data, from the labels a trained
// classifier gives generated images (the Stacked-MNIST protocol of VEEGAN and PacGAN, applied
// to the dataset's own classes).

/** A class counts as covered when its generated count reaches this share of the count the
 * real class histogram predicts, e.g. 10 of 1,000 samples for a class holding 10% of the data.
 * One stray misclassified sample therefore does not cover a class. */
export const MIN_CLASS_SHARE_OF_EXPECTED = 0.1;

/** Counts labels 0 … classes−1. @throws RangeError on a label outside that range. */
export function classHistogram(labels: ArrayLike<number>, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new RangeError(`Invalid label ${label} at index ${i}: expected an integer in [0, ${classes - 1}].`);
    }
    counts[label]++;
  }
  return counts;
}

function normalize(counts: readonly number[], name: string): number[] {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) throw new RangeError(`Invalid ${name} histogram: expected at least one count, found none.`);
  return counts.map((count) => count / total);
}

/**
 * Returns the number of classes k with generated count n_k ≥ 0.1 · N · q_k, where N is the
 * number of generated samples and q_k the real share of class k. Classes absent from the real
 * data (q_k = 0) are not counted.
 */
export function classesCovered(generatedCounts: readonly number[], realCounts: readonly number[]): number {
  checkSameLength(generatedCounts, realCounts);
  const total = generatedCounts.reduce((sum, count) => sum + count, 0);
  const realShares = normalize(realCounts, 'real');
  return realShares.filter((share, k) => share > 0 && generatedCounts[k] >= MIN_CLASS_SHARE_OF_EXPECTED * total * share).length;
}

/**
 * Returns KL(p ‖ q) = Σ_{k : p_k > 0} p_k log(p_k / q_k) in nats, with p the generated class
 * histogram and q the real one. 0 when the histograms match; log K when all samples fall in
 * one of K equally frequent classes.
 * @returns Infinity when a generated class has no real samples (q_k = 0 < p_k).
 */
export function classKL(generatedCounts: readonly number[], realCounts: readonly number[]): number {
  checkSameLength(generatedCounts, realCounts);
  const p = normalize(generatedCounts, 'generated');
  const q = normalize(realCounts, 'real');
  let divergence = 0;
  for (let k = 0; k < p.length; k++) {
    if (p[k] === 0) continue;
    divergence += q[k] === 0 ? Infinity : p[k] * Math.log(p[k] / q[k]);
  }
  return divergence;
}

function checkSameLength(generated: readonly number[], real: readonly number[]): void {
  if (generated.length !== real.length) {
    throw new RangeError(`Class count mismatch: the generated histogram has ${generated.length} classes, the real one ${real.length}.`);
  }
}
