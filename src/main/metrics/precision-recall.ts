// Improved precision and recall of a generative model (Kynkäänniemi et al., "Improved Precision
// and Recall Metric for Assessing Generative Models", NeurIPS 2019).
import { checkFeatureSets, kthNeighbourSquaredDistances, squaredDistance, type FeatureSet } from './feature-set';

/** Neighbourhood size the paper recommends (k = 3). */
export const PRECISION_RECALL_K = 3;

/**
 * Returns the share of `queries` inside the manifold estimate of `support`: the union of the
 * balls B(s_i, NND_k(s_i)), where NND_k is the distance from s_i to its k-th nearest neighbour
 * in `support`. A point on a ball's boundary counts as inside.
 */
export function manifoldShare(support: FeatureSet, queries: FeatureSet, k: number): number {
  const squaredRadii = kthNeighbourSquaredDistances(support, k);
  let inside = 0;
  for (let j = 0; j < queries.count; j++) {
    for (let i = 0; i < support.count; i++) {
      if (squaredDistance(queries, j, support, i) <= squaredRadii[i]) {
        inside++;
        break;
      }
    }
  }
  return inside / queries.count;
}

/**
 * Computes precision = (1/M) Σ_j 1[g_j ∈ manifold(real)] (how many generated samples look
 * real) and recall = (1/N) Σ_i 1[r_i ∈ manifold(generated)] (how much of the real data the
 * generator covers), with manifolds from k-NN balls (default k = 3). Both are in [0, 1].
 * Identical sets give 1 and 1. Cost O((N + M)² · dim).
 * @throws RangeError when a set has k vectors or fewer, or the dimensions differ.
 */
export function precisionRecall(real: FeatureSet, generated: FeatureSet, k = PRECISION_RECALL_K): { precision: number; recall: number } {
  checkFeatureSets(real, generated, k + 1);
  return { precision: manifoldShare(real, generated, k), recall: manifoldShare(generated, real, k) };
}
