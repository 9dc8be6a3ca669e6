// A set of feature vectors (classifier features, or 2-D points) stored row-major, with the
// distance helpers that the nearest-neighbour metrics share. Pure functions, no tensors.

/** `count` vectors of `dim` values each, row-major in `values`. */
export interface FeatureSet {
  count: number;
  dim: number;
  values: Float32Array | Float64Array;
}

/** Wraps row-major values as a FeatureSet. @throws RangeError when the length is not count × dim. */
export function featureSet(values: Float32Array | Float64Array, dim: number): FeatureSet {
  if (!Number.isInteger(dim) || dim < 1) {
    throw new RangeError(`Invalid feature dimension: expected a positive integer, found ${dim}.`);
  }
  if (values.length % dim !== 0) {
    throw new RangeError(`Invalid features: expected a multiple of ${dim} values (count × dim), found ${values.length}.`);
  }
  return { count: values.length / dim, dim, values };
}

/** Builds a FeatureSet from an array of equal-length rows. */
export function featureSetFromRows(rows: readonly (readonly number[])[]): FeatureSet {
  const dim = rows[0]?.length ?? 0;
  const values = new Float64Array(rows.length * dim);
  rows.forEach((row, i) => {
    if (row.length !== dim) throw new RangeError(`Invalid feature row ${i}: expected ${dim} values like row 0, found ${row.length}.`);
    values.set(row, i * dim);
  });
  return { count: rows.length, dim, values };
}

/** Throws unless both sets are non-empty, share one dimension and `minCount` is met. */
export function checkFeatureSets(a: FeatureSet, b: FeatureSet, minCount = 1): void {
  if (a.dim !== b.dim) {
    throw new RangeError(`Feature dimension mismatch: real features have ${a.dim} values, generated ${b.dim}. Extract both with the same classifier.`);
  }
  if (a.count < minCount || b.count < minCount) {
    throw new RangeError(`Too few features: expected at least ${minCount} real and generated vectors, found ${a.count} and ${b.count}.`);
  }
}

/** Returns the squared Euclidean distance between row i of a and row j of b. */
export function squaredDistance(a: FeatureSet, i: number, b: FeatureSet, j: number): number {
  let sum = 0;
  const offsetA = i * a.dim;
  const offsetB = j * b.dim;
  for (let d = 0; d < a.dim; d++) {
    const diff = a.values[offsetA + d] - b.values[offsetB + d];
    sum += diff * diff;
  }
  return sum;
}

/**
 * Returns, for each vector of `set`, the squared Euclidean distance to its k-th nearest
 * neighbour within `set`, not counting itself (NND_k² in Kynkäänniemi et al. 2019 and Naeem et
 * al. 2020). Duplicates count as neighbours at distance 0. The metrics compare squared
 * distances with these values directly, because √ then squaring can round a neighbour on the
 * ball's boundary to just outside it.
 * @throws RangeError when the set has k vectors or fewer.
 */
export function kthNeighbourSquaredDistances(set: FeatureSet, k: number): Float64Array {
  if (!Number.isInteger(k) || k < 1 || set.count <= k) {
    throw new RangeError(`Invalid k: expected an integer in [1, ${set.count - 1}] for ${set.count} vectors, found ${k}. Use more samples or a smaller k.`);
  }
  const radii = new Float64Array(set.count);
  // The k smallest squared distances so far, kept sorted ascending.
  const nearest = new Float64Array(k);

  for (let i = 0; i < set.count; i++) {
    nearest.fill(Infinity);
    for (let j = 0; j < set.count; j++) {
      if (j === i) continue;
      const distance = squaredDistance(set, i, set, j);
      if (distance >= nearest[k - 1]) continue;
      let position = k - 1;
      while (position > 0 && nearest[position - 1] > distance) {
        nearest[position] = nearest[position - 1];
        position--;
      }
      nearest[position] = distance;
    }
    radii[i] = nearest[k - 1];
  }
  return radii;
}

/** Returns the Euclidean distance of each vector to its k-th nearest neighbour (see `kthNeighbourSquaredDistances`). */
export function kthNeighbourDistances(set: FeatureSet, k: number): Float64Array {
  return kthNeighbourSquaredDistances(set, k).map(Math.sqrt);
}

/** Returns the mean Euclidean distance over all unordered pairs of distinct vectors. @throws RangeError for fewer than two vectors. */
export function meanPairwiseDistance(set: FeatureSet): number {
  if (set.count < 2) {
    throw new RangeError(`Too few vectors for a pairwise distance: expected at least 2, found ${set.count}.`);
  }
  let sum = 0;
  for (let i = 0; i < set.count; i++) {
    for (let j = i + 1; j < set.count; j++) sum += Math.sqrt(squaredDistance(set, i, set, j));
  }
  return sum / ((set.count * (set.count - 1)) / 2);
}
