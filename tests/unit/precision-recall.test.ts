import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../src/main/data/random';
import { featureSet, featureSetFromRows, kthNeighbourDistances } from '../../src/main/metrics/feature-set';
import { precisionRecall } from '../../src/main/metrics/precision-recall';

/** n points of dim standard normals from a seeded generator. */
function gaussianCloud(n: number, dim: number, seed: number, shift = 0): ReturnType<typeof featureSet> {
  const random = createSeededRandom(seed, 'test');
  const values = new Float64Array(n * dim);
  for (let i = 0; i < values.length; i += 2) {
    const [a, b] = random.normalPair();
    values[i] = a + shift;
    if (i + 1 < values.length) values[i + 1] = b + shift;
  }
  return featureSet(values, dim);
}

const line = (values: number[]) => featureSetFromRows(values.map((value) => [value]));

describe('kthNeighbourDistances', () => {
  it('finds k-th neighbours on a line', () => {
    // Points 0, 1, 3, 6: nearest neighbours are 1, 1, 2, 3 away; second-nearest 3, 2, 3, 5.
    expect(Array.from(kthNeighbourDistances(line([0, 1, 3, 6]), 1))).toEqual([1, 1, 2, 3]);
    expect(Array.from(kthNeighbourDistances(line([0, 1, 3, 6]), 2))).toEqual([3, 2, 3, 5]);
  });

  it('rejects k as large as the set', () => {
    expect(() => kthNeighbourDistances(line([0, 1, 2]), 3)).toThrow(/Invalid k: expected an integer in \[1, 2\]/);
  });
});

describe('precisionRecall', () => {
  it('scores identical sets as 1 and 1', () => {
    const cloud = gaussianCloud(200, 8, 1);
    expect(precisionRecall(cloud, cloud)).toEqual({ precision: 1, recall: 1 });
  });

  it('scores a collapsed generator by hand', () => {
    // Real points 0…4 with k = 1 have balls of radius 1, which hold all of 0, 0.2 and 0.4:
    // precision 1. The generated balls (radius 0.2) cover only [-0.2, 0.6], so of the real
    // points only 0 is inside: recall 1/5.
    expect(precisionRecall(line([0, 1, 2, 3, 4]), line([0, 0.2, 0.4]), 1)).toEqual({ precision: 1, recall: 0.2 });
  });

  it('scores disjoint sets as 0 and 0', () => {
    expect(precisionRecall(gaussianCloud(100, 4, 2), gaussianCloud(100, 4, 3, 50))).toEqual({ precision: 0, recall: 0 });
  });

  it('scores two samples of one distribution high', () => {
    const { precision, recall } = precisionRecall(gaussianCloud(500, 4, 4), gaussianCloud(500, 4, 5));
    expect(precision).toBeGreaterThan(0.85);
    expect(recall).toBeGreaterThan(0.85);
  });

  it('rejects a dimension mismatch', () => {
    expect(() => precisionRecall(gaussianCloud(10, 2, 1), gaussianCloud(10, 3, 1))).toThrow(/real features have 2 values, generated 3/);
  });

  it('rejects too few vectors for k', () => {
    expect(() => precisionRecall(line([0, 1, 2]), line([0, 1, 2]))).toThrow(/at least 4 real and generated vectors, found 3 and 3/);
  });
});
