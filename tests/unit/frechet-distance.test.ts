import { describe, expect, it } from 'vitest';
import { Matrix } from 'ml-matrix';
import { featureSetFromRows } from '../../src/main/metrics/feature-set';
import { featureFrechetDistance, fitGaussian, frechetDistance, sqrtPsd, traceSqrtProduct } from '../../src/main/metrics/frechet-distance';

function expectMatrixClose(actual: Matrix, expected: number[][], digits = 10): void {
  expect(actual.rows).toBe(expected.length);
  expected.forEach((row, i) => row.forEach((value, j) => expect(actual.get(i, j)).toBeCloseTo(value, digits)));
}

describe('sqrtPsd', () => {
  it('roots a diagonal matrix', () => {
    expectMatrixClose(sqrtPsd(new Matrix([[4, 0], [0, 9]])), [[2, 0], [0, 3]]);
  });

  it('roots a dense matrix with a known root', () => {
    // [[2, 1], [1, 2]]² = [[5, 4], [4, 5]], and [[2, 1], [1, 2]] is symmetric positive definite.
    expectMatrixClose(sqrtPsd(new Matrix([[5, 4], [4, 5]])), [[2, 1], [1, 2]]);
  });

  it('roots a singular PSD matrix', () => {
    // [[1, 1], [1, 1]] = 2 v vᵀ with v = (1, 1)/√2, so its root is √2 v vᵀ = [[1, 1], [1, 1]] / √2.
    const half = Math.SQRT1_2;
    expectMatrixClose(sqrtPsd(new Matrix([[1, 1], [1, 1]])), [[half, half], [half, half]]);
  });

  it('clamps a rounding-negative eigenvalue', () => {
    // Eigenvalues 1 and -1e-14: the negative one is rounding noise of a PSD matrix.
    const root = sqrtPsd(new Matrix([[1, 0], [0, -1e-14]]));
    expectMatrixClose(root, [[1, 0], [0, 0]]);
    expect(Number.isNaN(root.get(1, 1))).toBe(false);
  });

  it('squares back to a 3×3 covariance', () => {
    const a = new Matrix([[4, 1, 0.5], [1, 3, 0.2], [0.5, 0.2, 2]]);
    const root = sqrtPsd(a);
    expectMatrixClose(root.mmul(root), a.to2DArray(), 9);
  });

  it('rejects a non-square matrix', () => {
    expect(() => sqrtPsd(new Matrix(2, 3))).toThrow(/square matrix, found 2×3/);
  });
});

describe('traceSqrtProduct', () => {
  it('matches the 2×2 closed form', () => {
    // For a 2×2 matrix M with eigenvalues λ1, λ2 ≥ 0, Tr √M = √λ1 + √λ2 = √(Tr M + 2√det M).
    // Σ1 Σ2 = [[2, 3], [1, 3]]: trace 5, determinant 3, and Σ1, Σ2 do not commute.
    const sigma1 = new Matrix([[2, 1], [1, 1]]);
    const sigma2 = new Matrix([[1, 0], [0, 3]]);
    expect(traceSqrtProduct(sigma1, sigma2)).toBeCloseTo(Math.sqrt(5 + 2 * Math.sqrt(3)), 10);
    expect(traceSqrtProduct(sigma2, sigma1)).toBeCloseTo(Math.sqrt(5 + 2 * Math.sqrt(3)), 10);
  });
});

describe('frechetDistance', () => {
  it('matches diagonal Gaussians by hand', () => {
    // ‖(0,0) − (1,2)‖² = 5; with diagonal covariances the trace term is Σ (√a_i − √b_i)² = (1 − 2)² + (2 − 1)² = 2.
    const a = { mean: Float64Array.from([0, 0]), covariance: new Matrix([[1, 0], [0, 4]]) };
    const b = { mean: Float64Array.from([1, 2]), covariance: new Matrix([[4, 0], [0, 1]]) };
    expect(frechetDistance(a, b)).toBeCloseTo(7, 10);
  });

  it('matches commuting covariances by hand', () => {
    // Σ1 = [[5, 4], [4, 5]] commutes with Σ2 = I: Tr Σ1 + Tr I − 2 Tr Σ1^{1/2} = 10 + 2 − 2 · 4 = 4, plus ‖(3, 0)‖² = 9.
    const a = { mean: Float64Array.from([3, 0]), covariance: new Matrix([[5, 4], [4, 5]]) };
    const b = { mean: Float64Array.from([0, 0]), covariance: Matrix.eye(2) };
    expect(frechetDistance(a, b)).toBeCloseTo(13, 10);
  });

  it('matches non-commuting covariances by hand', () => {
    // Tr Σ1 + Tr Σ2 − 2 √(5 + 2√3) with the matrices of the closed-form test above, equal means.
    const a = { mean: Float64Array.from([1, 1]), covariance: new Matrix([[2, 1], [1, 1]]) };
    const b = { mean: Float64Array.from([1, 1]), covariance: new Matrix([[1, 0], [0, 3]]) };
    expect(frechetDistance(a, b)).toBeCloseTo(3 + 4 - 2 * Math.sqrt(5 + 2 * Math.sqrt(3)), 10);
  });

  it('is zero for one Gaussian', () => {
    const a = { mean: Float64Array.from([1, -2, 3]), covariance: new Matrix([[4, 1, 0.5], [1, 3, 0.2], [0.5, 0.2, 2]]) };
    expect(frechetDistance(a, a)).toBeCloseTo(0, 9);
    expect(frechetDistance(a, a)).toBeGreaterThanOrEqual(0);
  });

  it('rejects mismatched dimensions', () => {
    const a = { mean: Float64Array.from([0, 0]), covariance: Matrix.eye(2) };
    const b = { mean: Float64Array.from([0, 0, 0]), covariance: Matrix.eye(3) };
    expect(() => frechetDistance(a, b)).toThrow(/dimension mismatch/);
  });
});

describe('fitGaussian', () => {
  it('fits a square of points by hand', () => {
    // Corners of a 2 × 2 square: mean (1, 1); each coordinate deviates by ±1, so the unbiased
    // variance is 4 · 1 / (4 − 1) = 4/3 and the covariance is 0.
    const fit = fitGaussian(featureSetFromRows([[0, 0], [2, 0], [0, 2], [2, 2]]));
    expect(Array.from(fit.mean)).toEqual([1, 1]);
    expectMatrixClose(fit.covariance, [[4 / 3, 0], [0, 4 / 3]]);
  });

  it('rejects a single vector', () => {
    expect(() => fitGaussian(featureSetFromRows([[1, 2]]))).toThrow(/at least 2, found 1/);
  });

  it('gives zero distance for identical sets', () => {
    const rows = [[0, 1, 2], [1, 0, 3], [2, 2, 1], [3, 1, 0], [0, 3, 3]];
    expect(featureFrechetDistance(featureSetFromRows(rows), featureSetFromRows(rows))).toBeCloseTo(0, 9);
  });
});
