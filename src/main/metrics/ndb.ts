// NDB, the number of statistically different bins (Richardson and Weiss, "On GANs and GMMs",
// NeurIPS 2018). The real samples are clustered into K bins with k-means, and every generated
// sample goes into the bin of its nearest centroid. NDB counts the bins whose real and
// generated shares differ under a two-proportion z-test. A generator that drops or
// over-produces modes makes many bins differ.
import { kmeans } from 'ml-kmeans';
import { checkFeatureSets, squaredDistance, featureSetFromRows, type FeatureSet } from './feature-set';

/** Bins per evaluation. The paper uses K = 100 on tens of thousands of samples; with the
 * 1,000 samples per side evaluated here, K = 20 leaves about 50 per bin, enough for the normal
 * approximation of the z-test. */
export const NDB_BINS = 20;
/** Significance level of each bin's test. */
export const NDB_SIGNIFICANCE = 0.05;
/** Two-sided critical value of the standard normal at p = 0.05: Φ⁻¹(0.975). */
const Z_CRITICAL_05 = 1.959963984540054;

export interface NdbResult {
  /** Bins whose shares differ at p < 0.05. */
  ndb: number;
  /** K, the number of bins. */
  bins: number;
  /** Real and generated share per bin. */
  realShares: number[];
  generatedShares: number[];
}

/**
 * Returns the two-proportion z statistic for shares p1 of n1 and p2 of n2, with the pooled
 * share p = (n1 p1 + n2 p2)/(n1 + n2): z = (p1 − p2) / √(p (1 − p) (1/n1 + 1/n2)).
 * Returns 0 when both shares are 0 or both are 1, where the shares cannot differ.
 */
export function twoProportionZ(p1: number, n1: number, p2: number, n2: number): number {
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return standardError === 0 ? 0 : (p1 - p2) / standardError;
}

/** Fits K k-means centroids to the real features (k-means++ seeding with `seed`). */
export function fitNdbBins(real: FeatureSet, bins = NDB_BINS, seed = 0): FeatureSet {
  if (!Number.isInteger(bins) || bins < 2 || bins > real.count) {
    throw new RangeError(`Invalid NDB bin count: expected an integer in [2, ${real.count}] (at most one bin per real sample), found ${bins}.`);
  }
  const rows: number[][] = [];
  for (let i = 0; i < real.count; i++) rows.push(Array.from(real.values.subarray(i * real.dim, (i + 1) * real.dim)));
  const result = kmeans(rows, bins, { seed, initialization: 'kmeans++', maxIterations: 100 });
  return featureSetFromRows(result.centroids);
}

function binShares(set: FeatureSet, centroids: FeatureSet): number[] {
  const counts = new Array<number>(centroids.count).fill(0);
  for (let i = 0; i < set.count; i++) {
    let nearest = 0;
    let nearestDistance = Infinity;
    for (let c = 0; c < centroids.count; c++) {
      const distance = squaredDistance(set, i, centroids, c);
      if (distance < nearestDistance) {
        nearest = c;
        nearestDistance = distance;
      }
    }
    counts[nearest]++;
  }
  return counts.map((count) => count / set.count);
}

/**
 * Computes NDB: |{b : |z_b| > 1.96}| over the bins b given by `centroids` (from `fitNdbBins`),
 * with z_b the two-proportion z statistic of the real and generated shares of bin b. In [0, K];
 * about 0 (5% of K by chance) when both samples come from one distribution. The paper also
 * reports NDB/K.
 */
export function numberOfDifferentBins(real: FeatureSet, generated: FeatureSet, centroids: FeatureSet): NdbResult {
  checkFeatureSets(real, generated, 1);
  checkFeatureSets(real, centroids, 1);
  const realShares = binShares(real, centroids);
  const generatedShares = binShares(generated, centroids);

  let ndb = 0;
  for (let b = 0; b < centroids.count; b++) {
    if (Math.abs(twoProportionZ(realShares[b], real.count, generatedShares[b], generated.count)) > Z_CRITICAL_05) ndb++;
  }
  return { ndb, bins: centroids.count, realShares, generatedShares };
}
