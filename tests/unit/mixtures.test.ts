import { describe, expect, it } from 'vitest';
import { mixtureCentres, sampleMixture, type Grid25Config, type Ring8Config } from '../../src/main/data/mixtures';
import { createSeededRandom } from '../../src/main/data/random';

const ring8: Ring8Config = { kind: 'ring8', modes: 8, radius: 2, std: 0.02 };
const grid25: Grid25Config = { kind: 'grid25', side: 5, spacing: 2, std: 0.05 };

/** Splits interleaved points by nearest centre and returns per-mode offsets from the centre. */
function offsetsByMode(points: Float32Array, centres: [number, number][]): { dx: number[]; dy: number[] }[] {
  const groups = centres.map(() => ({ dx: [] as number[], dy: [] as number[] }));
  for (let i = 0; i < points.length / 2; i++) {
    const x = points[2 * i];
    const y = points[2 * i + 1];
    let nearest = 0;
    for (let k = 1; k < centres.length; k++) {
      if (Math.hypot(x - centres[k][0], y - centres[k][1]) < Math.hypot(x - centres[nearest][0], y - centres[nearest][1])) nearest = k;
    }
    groups[nearest].dx.push(x - centres[nearest][0]);
    groups[nearest].dy.push(y - centres[nearest][1]);
  }
  return groups;
}

const mean = (values: number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;
const standardDeviation = (values: number[]): number => {
  const m = mean(values);
  return Math.sqrt(values.reduce((sum, v) => sum + (v - m) ** 2, 0) / (values.length - 1));
};

describe('mixtureCentres', () => {
  it('places ring8 centres on the circle', () => {
    const centres = mixtureCentres(ring8);

    expect(centres).toHaveLength(8);
    expect(centres[0][0]).toBeCloseTo(2, 12);
    expect(centres[0][1]).toBeCloseTo(0, 12);
    expect(centres[1][0]).toBeCloseTo(Math.SQRT2, 12);
    expect(centres[1][1]).toBeCloseTo(Math.SQRT2, 12);
    expect(centres[2][0]).toBeCloseTo(0, 12);
    expect(centres[2][1]).toBeCloseTo(2, 12);
    expect(centres[4][0]).toBeCloseTo(-2, 12);
    for (const [x, y] of centres) expect(Math.hypot(x, y)).toBeCloseTo(2, 12);
  });

  it('honours custom ring parameters', () => {
    const centres = mixtureCentres({ kind: 'ring8', modes: 3, radius: 5, std: 0.1 });

    expect(centres).toHaveLength(3);
    expect(centres[1][0]).toBeCloseTo(-2.5, 12);
    expect(centres[1][1]).toBeCloseTo(5 * Math.sin((2 * Math.PI) / 3), 12);
  });

  it('centres the grid25 grid on the origin', () => {
    const centres = mixtureCentres(grid25);

    expect(centres).toHaveLength(25);
    expect(centres[0]).toEqual([-4, -4]);
    expect(centres[4]).toEqual([4, -4]);
    expect(centres[12]).toEqual([0, 0]);
    expect(centres[24]).toEqual([4, 4]);
  });

  it('centres an even-sided grid between modes', () => {
    const centres = mixtureCentres({ kind: 'grid25', side: 2, spacing: 3, std: 0.1 });

    expect(centres).toEqual([
      [-1.5, -1.5],
      [1.5, -1.5],
      [-1.5, 1.5],
      [1.5, 1.5],
    ]);
  });
});

describe('sampleMixture', () => {
  it('repeats the same points for the same seed', () => {
    const centres = mixtureCentres(ring8);
    const first = sampleMixture(centres, 0.02, 100, createSeededRandom(42, 'training'));
    const second = sampleMixture(centres, 0.02, 100, createSeededRandom(42, 'training'));
    const otherSeed = sampleMixture(centres, 0.02, 100, createSeededRandom(43, 'training'));

    expect(first).toHaveLength(200);
    expect(Array.from(second)).toEqual(Array.from(first));
    expect(Array.from(otherSeed)).not.toEqual(Array.from(first));
  });

  it('gives independent streams for one seed', () => {
    const centres = mixtureCentres(ring8);
    const training = sampleMixture(centres, 0.02, 50, createSeededRandom(42, 'training'));
    const evaluation = sampleMixture(centres, 0.02, 50, createSeededRandom(42, 'evaluation'));

    expect(Array.from(evaluation)).not.toEqual(Array.from(training));
  });

  it('matches ring8 weights, means and std', () => {
    const centres = mixtureCentres(ring8);
    const n = 40_000;
    const points = sampleMixture(centres, ring8.std, n, createSeededRandom(1, 'training'));
    const groups = offsetsByMode(points, centres);

    for (const group of groups) {
      // Share per mode: 1/8 with a standard error of sqrt(1/8 · 7/8 / n) ≈ 0.0017.
      expect(group.dx.length / n).toBeGreaterThan(0.125 - 0.008);
      expect(group.dx.length / n).toBeLessThan(0.125 + 0.008);
      // Offset mean: 0 with a standard error of 0.02 / sqrt(5000) ≈ 0.0003.
      expect(Math.abs(mean(group.dx))).toBeLessThan(0.0015);
      expect(Math.abs(mean(group.dy))).toBeLessThan(0.0015);
      // Sample std: 0.02 with a relative standard error of about 1 / sqrt(2 · 5000) = 1 %.
      expect(standardDeviation(group.dx)).toBeGreaterThan(0.02 * 0.95);
      expect(standardDeviation(group.dx)).toBeLessThan(0.02 * 1.05);
      expect(standardDeviation(group.dy)).toBeGreaterThan(0.02 * 0.95);
      expect(standardDeviation(group.dy)).toBeLessThan(0.02 * 1.05);
    }
  });

  it('matches grid25 weights and std', () => {
    const centres = mixtureCentres(grid25);
    const n = 50_000;
    const points = sampleMixture(centres, grid25.std, n, createSeededRandom(2, 'training'));
    const groups = offsetsByMode(points, centres);

    for (const group of groups) {
      // Share per mode: 1/25 with a standard error of about 0.0009.
      expect(group.dx.length / n).toBeGreaterThan(0.04 - 0.004);
      expect(group.dx.length / n).toBeLessThan(0.04 + 0.004);
      expect(Math.abs(mean(group.dx))).toBeLessThan(0.006);
      expect(standardDeviation(group.dx)).toBeGreaterThan(0.05 * 0.9);
      expect(standardDeviation(group.dx)).toBeLessThan(0.05 * 1.1);
      expect(standardDeviation(group.dy)).toBeGreaterThan(0.05 * 0.9);
      expect(standardDeviation(group.dy)).toBeLessThan(0.05 * 1.1);
    }
  });

  it('rejects an empty centre list', () => {
    expect(() => sampleMixture([], 0.1, 10, createSeededRandom(0, 'training'))).toThrow(/no centres/);
  });
});

describe('createSeededRandom', () => {
  it('draws standard normals', () => {
    const random = createSeededRandom(5, 'normals');
    const values: number[] = [];
    for (let i = 0; i < 20_000; i++) values.push(...random.normalPair());

    // Mean 0 and std 1, with standard errors of 0.005 and 0.004 for 40,000 values.
    expect(Math.abs(mean(values))).toBeLessThan(0.025);
    expect(standardDeviation(values)).toBeGreaterThan(0.98);
    expect(standardDeviation(values)).toBeLessThan(1.02);
    expect(values.every(Number.isFinite)).toBe(true);
  });

  it('draws integers below the bound', () => {
    const random = createSeededRandom(5, 'integers');
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(random.integer(7));

    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});
