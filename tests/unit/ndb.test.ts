import { describe, expect, it } from 'vitest';
import { mixtureCentres, sampleMixture } from '../../src/main/data/mixtures';
import { createSeededRandom } from '../../src/main/data/random';
import { featureSet } from '../../src/main/metrics/feature-set';
import { fitNdbBins, NDB_BINS, numberOfDifferentBins, twoProportionZ } from '../../src/main/metrics/ndb';

/** 1,000 points of a 5 × 5 grid of Gaussians, shifted by `shift` on both axes. */
function gridSample(seed: number, shift = 0): ReturnType<typeof featureSet> {
  const centres = mixtureCentres({ kind: 'grid25', side: 5, spacing: 2, std: 0.05 });
  const points = sampleMixture(centres, 0.05, 1000, createSeededRandom(seed, 'test'));
  return featureSet(points.map((value) => value + shift), 2);
}

describe('twoProportionZ', () => {
  it('matches a hand computation', () => {
    // p = (50 + 30) / 200 = 0.4; se = √(0.4 · 0.6 · (1/100 + 1/100)) = √0.0048; z = 0.2 / se.
    expect(twoProportionZ(0.5, 100, 0.3, 100)).toBeCloseTo(0.2 / Math.sqrt(0.0048), 12);
  });

  it('is zero when both shares are zero', () => {
    expect(twoProportionZ(0, 100, 0, 50)).toBe(0);
  });
});

describe('numberOfDifferentBins', () => {
  const real = gridSample(1);
  const centroids = fitNdbBins(real, NDB_BINS, 0);

  it('fits the requested number of bins', () => {
    expect(centroids.count).toBe(20);
    expect(centroids.dim).toBe(2);
  });

  it('finds about no bins for one distribution', () => {
    // At p < 0.05 about 1 of 20 bins differs by chance; 3 or more would point at a bug.
    const result = numberOfDifferentBins(real, gridSample(2), centroids);
    expect(result.bins).toBe(20);
    expect(result.ndb).toBeLessThanOrEqual(2);
  });

  it('finds every bin for disjoint samples', () => {
    // All generated points land in the bin nearest to the shifted grid, so every bin's shares differ.
    const result = numberOfDifferentBins(real, gridSample(3, 100), centroids);
    expect(result.ndb).toBe(20);
  });

  it('reports the shares of each bin', () => {
    const result = numberOfDifferentBins(real, gridSample(3, 100), centroids);
    expect(result.realShares.reduce((sum, share) => sum + share, 0)).toBeCloseTo(1, 12);
    expect(Math.max(...result.generatedShares)).toBe(1);
  });

  it('rejects more bins than samples', () => {
    expect(() => fitNdbBins(featureSet(Float64Array.from([0, 0, 1, 1]), 2), 3)).toThrow(/expected an integer in \[2, 2\].*found 3/);
  });
});
