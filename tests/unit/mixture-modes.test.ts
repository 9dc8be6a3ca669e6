import { describe, expect, it } from 'vitest';
import { mixtureCentres, sampleMixture } from '../../src/main/data/mixtures';
import { createSeededRandom } from '../../src/main/data/random';
import {
  assignModes,
  evaluateMixtureModes,
  highQualityFraction,
  klFromUniform,
  modeCounts,
  modesCovered,
  reverseKL,
} from '../../src/main/metrics/mixture-modes';

// Two modes 10 apart with std 1, so "high quality" means within 3 of a centre.
const centres: [number, number][] = [
  [0, 0],
  [10, 0],
];
const points: [number, number][] = [
  [0.5, 0], // mode 0, distance 0.5
  [3, 0], // mode 0, exactly 3 std: counts
  [3.1, 0], // nearest is mode 0 but 3.1 std away
  [10, 2.9], // mode 1, distance 2.9
  [5, 0], // halfway: nearest is mode 0 (tie goes to the lower index) but 5 std away
  [Number.NaN, 0],
];

describe('assignModes', () => {
  it('assigns high-quality points', () => {
    expect(Array.from(assignModes(points, centres, 1))).toEqual([0, 0, -1, 1, -1, -1]);
  });

  it('reads interleaved Float32Array points', () => {
    const interleaved = Float32Array.from(points.flat());

    expect(Array.from(assignModes(interleaved, centres, 1))).toEqual([0, 0, -1, 1, -1, -1]);
  });

  it('rejects an odd Float32Array', () => {
    expect(() => assignModes(new Float32Array(3), centres, 1)).toThrow('found a Float32Array of length 3');
  });

  it('rejects a non-positive std', () => {
    expect(() => assignModes(points, centres, 0)).toThrow('Invalid std: expected a positive finite number, found 0');
  });

  it('rejects no centres', () => {
    expect(() => assignModes(points, [], 1)).toThrow('Invalid centres');
  });
});

describe('mode indicators', () => {
  it('counts per mode', () => {
    expect(modeCounts(points, centres, 1)).toEqual([2, 1]);
  });

  it('computes the high-quality fraction', () => {
    expect(highQualityFraction(points, centres, 1)).toBe(0.5);
  });

  it('counts covered modes', () => {
    expect(modesCovered(points, centres, 1)).toBe(2);
    expect(modesCovered(points, centres, 1, 2)).toBe(1);
    expect(modesCovered(points, centres, 1, 3)).toBe(0);
  });

  it('rejects a zero minimum per mode', () => {
    expect(() => modesCovered(points, centres, 1, 0)).toThrow('Invalid minSamplesPerMode');
  });

  it('computes reverse KL by hand', () => {
    // p = (2/3, 1/3), K = 2: 2/3 · ln(4/3) + 1/3 · ln(2/3) = 0.191788 − 0.135155.
    expect(reverseKL(points, centres, 1)).toBeCloseTo(0.0566330123, 9);
  });

  it('scales with std', () => {
    // With std 0.2 only the point 0.5 away from (0, 0) is within 0.6.
    expect(modeCounts(points, centres, 0.2)).toEqual([1, 0]);
  });
});

describe('klFromUniform', () => {
  it('is zero for a uniform histogram', () => {
    expect(klFromUniform([5, 5, 5, 5])).toBe(0);
  });

  it('is log K for one full bin', () => {
    expect(klFromUniform([0, 0, 12, 0, 0, 0, 0, 0])).toBeCloseTo(Math.log(8), 12);
    expect(klFromUniform([0, 0, 12, 0, 0, 0, 0, 0])).toBeCloseTo(2.0794415417, 9);
  });

  it('skips empty bins', () => {
    // p = (1/2, 0, 0, 1/2), K = 4: 2 · 1/2 · ln(2) = ln 2.
    expect(klFromUniform([1, 0, 0, 1])).toBeCloseTo(0.6931471806, 9);
  });

  it('is null for an empty histogram', () => {
    expect(klFromUniform([0, 0, 0])).toBeNull();
  });
});

describe('evaluateMixtureModes', () => {
  it('returns every indicator', () => {
    const report = evaluateMixtureModes(points, centres, 1, { minSamplesPerMode: 2 });

    expect(report.samples).toBe(6);
    expect(report.highQualitySamples).toBe(3);
    expect(report.highQualityFraction).toBe(0.5);
    expect(report.modeCounts).toEqual([2, 1]);
    expect(report.modesCovered).toBe(1);
    expect(report.minSamplesPerMode).toBe(2);
    expect(report.reverseKL).toBeCloseTo(0.0566330123, 9);
  });

  it('reports null KL without high-quality points', () => {
    const report = evaluateMixtureModes([[100, 100]], centres, 1);

    expect(report.highQualityFraction).toBe(0);
    expect(report.modesCovered).toBe(0);
    expect(report.reverseKL).toBeNull();
  });

  it('scores a collapsed generator', () => {
    const collapsed: [number, number][] = Array.from({ length: 40 }, () => [0, 0]);
    const report = evaluateMixtureModes(collapsed, mixtureCentres({ kind: 'ring8', modes: 8, radius: 2, std: 0.02 }), 0.02);

    expect(report.modesCovered).toBe(0);
    expect(report.highQualityFraction).toBe(0);
    expect(report.reverseKL).toBeNull();
  });

  it('scores real ring8 samples as near perfect', () => {
    const ring = mixtureCentres({ kind: 'ring8', modes: 8, radius: 2, std: 0.02 });
    const real = sampleMixture(ring, 0.02, 8000, createSeededRandom(9, 'evaluation'));
    const report = evaluateMixtureModes(real, ring, 0.02);

    // For a 2-D Gaussian, P(‖x − μ‖ ≤ 3σ) = 1 − exp(−9/2) = 0.98889; standard error ≈ 0.0012.
    expect(report.highQualityFraction).toBeGreaterThan(0.98889 - 0.005);
    expect(report.highQualityFraction).toBeLessThan(0.98889 + 0.005);
    expect(report.modesCovered).toBe(8);
    expect(report.reverseKL).toBeLessThan(0.005);
  });

  it('rejects no points', () => {
    expect(() => evaluateMixtureModes([], centres, 1)).toThrow('Invalid points: expected at least one generated point, found none.');
  });
});
