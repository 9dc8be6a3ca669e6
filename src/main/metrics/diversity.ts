// Sample diversity: how spread out generated samples are, relative to real ones.
import { meanPairwiseDistance, type FeatureSet } from './feature-set';

/**
 * Returns diversity = mean_{i<j} ‖g_i − g_j‖ / mean_{i<j} ‖r_i − r_j‖, the mean pairwise
 * Euclidean distance within the generated set over the same within the real set (the same
 * space for both: data space for 2-D points, classifier features for images). About 1 for a
 * generator as varied as the data; towards 0 as samples collapse onto few points.
 * @throws RangeError when a set has fewer than two vectors or the real set has no spread.
 */
export function diversityRatio(real: FeatureSet, generated: FeatureSet): number {
  const realSpread = meanPairwiseDistance(real);
  if (realSpread === 0) {
    throw new RangeError('Invalid real set for diversity: all real vectors are identical, so the ratio is undefined. Use a varied real batch.');
  }
  return meanPairwiseDistance(generated) / realSpread;
}
