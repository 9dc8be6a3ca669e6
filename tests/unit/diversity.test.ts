import { describe, expect, it } from 'vitest';
import { featureSetFromRows, meanPairwiseDistance } from '../../src/main/metrics/feature-set';
import { diversityRatio } from '../../src/main/metrics/diversity';

describe('meanPairwiseDistance', () => {
  it('matches a hand computation', () => {
    // Pairs of (0,0), (0,1), (0,2): distances 1, 2, 1.
    expect(meanPairwiseDistance(featureSetFromRows([[0, 0], [0, 1], [0, 2]]))).toBeCloseTo(4 / 3, 12);
  });

  it('rejects a single vector', () => {
    expect(() => meanPairwiseDistance(featureSetFromRows([[1, 1]]))).toThrow(/at least 2, found 1/);
  });
});

describe('diversityRatio', () => {
  it('matches a hand computation', () => {
    // Real pair (0,0), (3,4) is 5 apart; generated mean distance 4/3; ratio 4/15.
    const real = featureSetFromRows([[0, 0], [3, 4]]);
    const generated = featureSetFromRows([[0, 0], [0, 1], [0, 2]]);
    expect(diversityRatio(real, generated)).toBeCloseTo(4 / 15, 12);
  });

  it('is zero for a fully collapsed batch', () => {
    const real = featureSetFromRows([[0, 0], [3, 4]]);
    expect(diversityRatio(real, featureSetFromRows([[1, 1], [1, 1], [1, 1]]))).toBe(0);
  });

  it('rejects a real set without spread', () => {
    const real = featureSetFromRows([[2, 2], [2, 2]]);
    expect(() => diversityRatio(real, featureSetFromRows([[0, 0], [1, 1]]))).toThrow(/all real vectors are identical/);
  });
});
