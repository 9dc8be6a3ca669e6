import { describe, expect, it } from 'vitest';
import { classesCovered, classHistogram, classKL } from '../../src/main/metrics/class-coverage';

describe('classHistogram', () => {
  it('counts labels', () => {
    expect(classHistogram([0, 2, 2, 3], 4)).toEqual([1, 0, 2, 1]);
  });

  it('rejects a label out of range', () => {
    expect(() => classHistogram([0, 4], 4)).toThrow(/Invalid label 4 at index 1: expected an integer in \[0, 3\]/);
  });
});

describe('classesCovered', () => {
  it('applies the share threshold', () => {
    // 100 samples, equal real shares 0.25: a class needs 0.1 · 100 · 0.25 = 2.5, so 3 or more.
    expect(classesCovered([60, 35, 3, 2], [1, 1, 1, 1])).toBe(3);
  });

  it('skips classes absent from real data', () => {
    expect(classesCovered([50, 50, 0], [1, 1, 0])).toBe(2);
  });

  it('rejects histograms of different lengths', () => {
    expect(() => classesCovered([1, 2], [1, 2, 3])).toThrow(/generated histogram has 2 classes, the real one 3/);
  });
});

describe('classKL', () => {
  it('is zero for matching histograms', () => {
    expect(classKL([20, 30, 50], [2, 3, 5])).toBe(0);
  });

  it('matches a hand computation', () => {
    // p = (0.5, 0.5, 0, 0), q uniform: 2 · 0.5 · log(0.5 / 0.25) = log 2.
    expect(classKL([5, 5, 0, 0], [1, 1, 1, 1])).toBeCloseTo(Math.log(2), 12);
  });

  it('is log K for one class', () => {
    expect(classKL([0, 0, 9, 0, 0, 0, 0, 0, 0, 0], new Array(10).fill(6000))).toBeCloseTo(Math.log(10), 12);
  });

  it('is infinite where the real share is zero', () => {
    expect(classKL([1, 1], [1, 0])).toBe(Infinity);
  });

  it('rejects an empty generated histogram', () => {
    expect(() => classKL([0, 0], [1, 1])).toThrow(/Invalid generated histogram/);
  });
});
