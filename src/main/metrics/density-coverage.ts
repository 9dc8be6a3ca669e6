// Density and coverage (Naeem et al., "Reliable Fidelity and Diversity Metrics for Generative
// Models", ICML 2020): precision and recall variants that are robust to outliers because only
// balls around real samples are used.
import { checkFeatureSets, kthNeighbourSquaredDistances, squaredDistance, type FeatureSet } from './feature-set';

/** Neighbourhood size the paper recommends (k = 5). */
export const DENSITY_COVERAGE_K = 5;

/**
 * Computes, with B_i = B(r_i, NND_k(r_i)) the ball around real sample r_i reaching its k-th
 * nearest real neighbour:
 *   density  = 1/(k·M) Σ_j Σ_i 1[g_j ∈ B_i]  (about 1 when generated samples are distributed
 *              like the real ones; above 1 when they crowd into dense real regions),
 *   coverage = 1/N Σ_i 1[∃ j : g_j ∈ B_i]    (share of real balls that hold any generated
 *              sample, in [0, 1]).
 * A point on a ball's boundary counts as inside. Cost O(N · (N + M) · dim).
 * @throws RangeError when the real set has k vectors or fewer, or the dimensions differ.
 */
export function densityCoverage(real: FeatureSet, generated: FeatureSet, k = DENSITY_COVERAGE_K): { density: number; coverage: number } {
  checkFeatureSets(real, generated, 1);
  const squaredRadii = kthNeighbourSquaredDistances(real, k);

  let memberships = 0;
  let coveredBalls = 0;
  for (let i = 0; i < real.count; i++) {
    const squaredRadius = squaredRadii[i];
    let inBall = 0;
    for (let j = 0; j < generated.count; j++) {
      if (squaredDistance(generated, j, real, i) <= squaredRadius) inBall++;
    }
    memberships += inBall;
    if (inBall > 0) coveredBalls++;
  }
  return { density: memberships / (k * generated.count), coverage: coveredBalls / real.count };
}
