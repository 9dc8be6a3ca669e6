import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../src/main/data/random';
import { featureSet, featureSetFromRows } from '../../src/main/metrics/feature-set';
import { densityCoverage } from '../../src/main/metrics/density-coverage';

function uniformCloud(n: number, dim: number, seed: number, shift = 0): ReturnType<typeof featureSet> {
  const random = createSeededRandom(seed, 'test');
  return featureSet(Float64Array.from({ length: n * dim }, () => random.uniform() + shift), dim);
}

const line = (values: number[]) => featureSetFromRows(values.map((value) => [value]));

describe('densityCoverage', () => {
  it('scores identical sets by hand', () => {
    // With distinct distances, each real ball B(r_i, NND_k) contains r_i and its k nearest
    // neighbours: N (k + 1) memberships in all, so density = (k + 1) / k = 1.2 for k = 5, and
    // every ball contains a generated point: coverage 1.
    const cloud = uniformCloud(300, 6, 1);
    const { density, coverage } = densityCoverage(cloud, cloud);
    expect(coverage).toBe(1);
    expect(density).toBeCloseTo(1.2, 12);
  });

  it('scores a collapsed generator by hand', () => {
    // Real 0…4, k = 1: balls of radius 1. B(0) contains 0, 0.2, 0.4; B(1) contains 0 (on the
    // boundary), 0.2, 0.4; the other balls contain none. Density 6 / (1 · 3) = 2; coverage 2 of 5 balls.
    expect(densityCoverage(line([0, 1, 2, 3, 4]), line([0, 0.2, 0.4]), 1)).toEqual({ density: 2, coverage: 0.4 });
  });

  it('scores disjoint sets as 0 and 0', () => {
    expect(densityCoverage(uniformCloud(100, 3, 2), uniformCloud(100, 3, 3, 10))).toEqual({ density: 0, coverage: 0 });
  });

  it('scores two samples of one distribution near 1', () => {
    const { density, coverage } = densityCoverage(uniformCloud(600, 3, 4), uniformCloud(600, 3, 5));
    expect(density).toBeGreaterThan(0.8);
    expect(density).toBeLessThan(1.2);
    expect(coverage).toBeGreaterThan(0.9);
  });

  it('rejects too few real vectors for k', () => {
    expect(() => densityCoverage(line([0, 1, 2]), line([0]))).toThrow(/Invalid k/);
  });
});
