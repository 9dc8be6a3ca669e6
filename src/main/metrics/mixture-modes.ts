// Mode-coverage indicators for generators trained on a known 2-D Gaussian mixture.
//
// Sources: VEEGAN (Srivastava et al., "VEEGAN: Reducing Mode Collapse in GANs using Implicit
// Variational Learning", NeurIPS 2017) scores the ring and grid mixtures by high-quality
// samples (within three standard deviations of the nearest mode) and by modes covered.
// PacGAN (Lin et al., "PacGAN: The power of two samples in generative adversarial networks",
// NeurIPS 2018) adds the reverse KL divergence of the generated mode histogram from the
// uniform one. These are pure functions of arrays, with no tensors and no I/O.
// NOTE: the papers' texts were not at hand when this was written, so the definitions follow
// their common statement. The formulas in the doc comments below are the ones implemented.

/** 2-D points: interleaved [x0, y0, x1, y1, ...] or an array of pairs. */
export type Points2D = Float32Array | readonly (readonly [number, number])[];

/** A sample counts as high quality when it lies within this many std of its nearest centre. */
export const HIGH_QUALITY_STD_MULTIPLE = 3;

export interface MixtureModeReport {
  /** Number of generated points evaluated. */
  samples: number;
  /** Points within 3 std of their nearest centre. */
  highQualitySamples: number;
  /** highQualitySamples / samples, in [0, 1]. */
  highQualityFraction: number;
  /** High-quality points per centre, in the order of `centres`. */
  modeCounts: number[];
  /** Centres with at least `minSamplesPerMode` high-quality points. */
  modesCovered: number;
  /** The threshold `modesCovered` used. */
  minSamplesPerMode: number;
  /** KL(p_gen ‖ uniform) over the mode histogram in nats, or null when no point is high quality. */
  reverseKL: number | null;
}

function pointCount(points: Points2D): number {
  if (points instanceof Float32Array) {
    if (points.length % 2 !== 0) {
      throw new RangeError(`Invalid points: expected interleaved x, y pairs (an even length), found a Float32Array of length ${points.length}.`);
    }
    return points.length / 2;
  }
  return points.length;
}

function checkMixture(centres: readonly (readonly [number, number])[], std: number): void {
  if (centres.length === 0) {
    throw new RangeError('Invalid centres: expected at least one mixture centre, found none.');
  }
  if (!Number.isFinite(std) || std <= 0) {
    throw new RangeError(`Invalid std: expected a positive finite number, found ${std}.`);
  }
}

/**
 * Assigns each point to its nearest centre (Euclidean distance, the lower index on a tie) when
 * that distance is at most 3·std, and to -1 otherwise. NaN or infinite points get -1.
 * @returns one centre index or -1 per point.
 */
export function assignModes(points: Points2D, centres: readonly (readonly [number, number])[], std: number): Int32Array {
  checkMixture(centres, std);
  const count = pointCount(points);
  const limitSquared = (HIGH_QUALITY_STD_MULTIPLE * std) ** 2;
  const assignments = new Int32Array(count);

  for (let i = 0; i < count; i++) {
    const x = points instanceof Float32Array ? points[2 * i] : points[i][0];
    const y = points instanceof Float32Array ? points[2 * i + 1] : points[i][1];

    let nearest = -1;
    let nearestSquared = Infinity;
    for (let k = 0; k < centres.length; k++) {
      const dx = x - centres[k][0];
      const dy = y - centres[k][1];
      const squared = dx * dx + dy * dy;
      if (squared < nearestSquared) {
        nearest = k;
        nearestSquared = squared;
      }
    }
    assignments[i] = nearest !== -1 && nearestSquared <= limitSquared ? nearest : -1;
  }
  return assignments;
}

function countModes(assignments: Int32Array, centreCount: number): number[] {
  const counts = new Array<number>(centreCount).fill(0);
  for (const mode of assignments) {
    if (mode >= 0) counts[mode]++;
  }
  return counts;
}

/**
 * Returns the number of high-quality points per centre: n_k = |{i : nearest(x_i) = k and
 * ‖x_i − c_k‖ ≤ 3σ}| (VEEGAN's high-quality criterion).
 */
export function modeCounts(points: Points2D, centres: readonly (readonly [number, number])[], std: number): number[] {
  return countModes(assignModes(points, centres, std), centres.length);
}

/**
 * Returns the share of points within 3σ of their nearest centre, Σ_k n_k / N (VEEGAN's
 * "high-quality samples").
 * @throws RangeError when there are no points.
 */
export function highQualityFraction(points: Points2D, centres: readonly (readonly [number, number])[], std: number): number {
  return evaluateMixtureModes(points, centres, std).highQualityFraction;
}

/**
 * Returns the number of centres with at least `minSamplesPerMode` high-quality points,
 * |{k : n_k ≥ minSamplesPerMode}|. The default of 1 counts a mode as covered when any
 * high-quality point lands there.
 * NOTE: papers differ on this threshold, so compare modes covered across papers only when
 * the threshold matches, and raise it when the sample count is large enough for stray points.
 */
export function modesCovered(points: Points2D, centres: readonly (readonly [number, number])[], std: number, minSamplesPerMode = 1): number {
  return countCovered(modeCounts(points, centres, std), minSamplesPerMode);
}

function countCovered(counts: number[], minSamplesPerMode: number): number {
  if (!Number.isInteger(minSamplesPerMode) || minSamplesPerMode < 1) {
    throw new RangeError(`Invalid minSamplesPerMode: expected a positive integer, found ${minSamplesPerMode}.`);
  }
  return counts.filter((count) => count >= minSamplesPerMode).length;
}

/**
 * Returns KL(p ‖ u) in nats between the histogram p_k = n_k / Σ n and the uniform u_k = 1/K
 * over K bins: Σ_{k : p_k > 0} p_k log(p_k K). Empty bins contribute 0 (the limit of
 * p log p as p → 0), so no epsilon is needed. The value is 0 for a uniform histogram and
 * log K when all mass is in one bin.
 * @returns null when the histogram is empty, because p is then undefined.
 */
export function klFromUniform(counts: readonly number[]): number | null {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;

  let divergence = 0;
  for (const count of counts) {
    if (count === 0) continue;
    const p = count / total;
    divergence += p * Math.log(p * counts.length);
  }
  return divergence;
}

/**
 * Returns the reverse KL divergence KL(p_gen ‖ uniform) of the high-quality points' mode
 * histogram, as PacGAN reports it for the 2-D mixtures (see `klFromUniform`). Points that
 * are not high quality are left out of the histogram.
 * @returns null when no point is high quality.
 */
export function reverseKL(points: Points2D, centres: readonly (readonly [number, number])[], std: number): number | null {
  return klFromUniform(modeCounts(points, centres, std));
}

/**
 * Computes every indicator above from one nearest-centre pass.
 * @throws RangeError when there are no points, no centres, or std is not positive.
 */
export function evaluateMixtureModes(
  points: Points2D,
  centres: readonly (readonly [number, number])[],
  std: number,
  options: { minSamplesPerMode?: number } = {},
): MixtureModeReport {
  const samples = pointCount(points);
  if (samples === 0) {
    throw new RangeError('Invalid points: expected at least one generated point, found none.');
  }

  const minSamplesPerMode = options.minSamplesPerMode ?? 1;
  const counts = countModes(assignModes(points, centres, std), centres.length);
  const highQualitySamples = counts.reduce((sum, count) => sum + count, 0);

  return {
    samples,
    highQualitySamples,
    highQualityFraction: highQualitySamples / samples,
    modeCounts: counts,
    modesCovered: countCovered(counts, minSamplesPerMode),
    minSamplesPerMode,
    reverseKL: klFromUniform(counts),
  };
}
