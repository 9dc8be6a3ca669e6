// The Fréchet distance between two Gaussians fitted to feature sets: the formula of the
// Fréchet Inception Distance (Heusel et al., "GANs Trained by a Two Time-Scale Update Rule
// Converge to a Local Nash Equilibrium", NeurIPS 2017), applied here to the features of the
// project's own classifier. The value is therefore not comparable with published FID numbers,
// which use Inception-v3 features.
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { FeatureSet } from './feature-set';

/** Mean vector and covariance matrix of a Gaussian fitted to a feature set. */
export interface GaussianFit {
  mean: Float64Array;
  covariance: Matrix;
}

/**
 * Fits a Gaussian: the sample mean and the unbiased sample covariance
 * Σ = 1/(n−1) Σ_i (x_i − μ)(x_i − μ)ᵀ, as numpy's `cov` computes it for the FID reference code.
 * @throws RangeError for fewer than two vectors.
 */
export function fitGaussian(set: FeatureSet): GaussianFit {
  if (set.count < 2) {
    throw new RangeError(`Too few vectors to fit a Gaussian: expected at least 2, found ${set.count}.`);
  }
  const { count, dim, values } = set;
  const mean = new Float64Array(dim);
  for (let i = 0; i < count; i++) {
    for (let d = 0; d < dim; d++) mean[d] += values[i * dim + d];
  }
  for (let d = 0; d < dim; d++) mean[d] /= count;

  const covariance = Matrix.zeros(dim, dim);
  const centred = new Float64Array(dim);
  for (let i = 0; i < count; i++) {
    for (let d = 0; d < dim; d++) centred[d] = values[i * dim + d] - mean[d];
    for (let a = 0; a < dim; a++) {
      for (let b = a; b < dim; b++) covariance.set(a, b, covariance.get(a, b) + centred[a] * centred[b]);
    }
  }
  for (let a = 0; a < dim; a++) {
    for (let b = a; b < dim; b++) {
      const value = covariance.get(a, b) / (count - 1);
      covariance.set(a, b, value);
      covariance.set(b, a, value);
    }
  }
  return { mean, covariance };
}

/** Returns (A + Aᵀ) / 2, removing the asymmetry that rounding leaves in products like S Σ S. */
function symmetrize(matrix: Matrix): Matrix {
  return matrix.add(matrix.transpose()).div(2);
}

/**
 * Returns the eigendecomposition of a symmetric PSD matrix with eigenvalues below
 * n · ε · max|λ| set to 0. Eigenvalues that small are rounding noise around a true 0 (they
 * come out slightly negative or positive), and their square roots would add errors of about
 * √ε instead of ε.
 */
function psdEigenvalues(matrix: Matrix): { values: number[]; vectors: Matrix } {
  const decomposition = new EigenvalueDecomposition(symmetrize(matrix), { assumeSymmetric: true });
  const eigenvalues = decomposition.realEigenvalues;
  const largest = eigenvalues.reduce((max, value) => Math.max(max, Math.abs(value)), 0);
  const tolerance = eigenvalues.length * Number.EPSILON * largest;
  return { values: eigenvalues.map((value) => (value <= tolerance ? 0 : value)), vectors: decomposition.eigenvectorMatrix };
}

/**
 * Returns the principal square root S of a symmetric positive semi-definite matrix A (S = Sᵀ,
 * S·S = A) as V diag(√λ) Vᵀ from the symmetric eigendecomposition A = V diag(λ) Vᵀ.
 * Eigenvalues at or below the rounding tolerance, negative ones included, are clamped to 0.
 * That is sound for a covariance matrix, whose true eigenvalues are ≥ 0.
 */
export function sqrtPsd(matrix: Matrix): Matrix {
  if (!matrix.isSquare()) {
    throw new RangeError(`Invalid matrix: expected a square matrix, found ${matrix.rows}×${matrix.columns}.`);
  }
  const { values, vectors } = psdEigenvalues(matrix);
  const scaled = vectors.clone();
  for (let column = 0; column < values.length; column++) {
    const root = Math.sqrt(values[column]);
    for (let row = 0; row < scaled.rows; row++) scaled.set(row, column, scaled.get(row, column) * root);
  }
  return scaled.mmul(vectors.transpose());
}

/**
 * Returns Tr((Σ1 Σ2)^{1/2}) computed as Tr((S1 Σ2 S1)^{1/2}) with S1 = Σ1^{1/2}. The two are equal
 * because Σ1 Σ2 = S1 (S1 Σ2 S1) S1⁻¹ is similar to S1 Σ2 S1 when Σ1 is invertible, and by
 * continuity otherwise. The symmetric form needs only eigendecompositions of symmetric PSD
 * matrices, which are stable, whereas the square root of the non-symmetric Σ1 Σ2 (scipy's
 * `sqrtm` in the FID reference code) can return complex values from rounding.
 */
export function traceSqrtProduct(sigma1: Matrix, sigma2: Matrix): number {
  const root1 = sqrtPsd(sigma1);
  const { values } = psdEigenvalues(root1.mmul(sigma2).mmul(root1));
  return values.reduce((sum, value) => sum + Math.sqrt(value), 0);
}

/**
 * Returns the Fréchet (2-Wasserstein) distance between N(μ1, Σ1) and N(μ2, Σ2), squared as in FID:
 *   d² = ‖μ1 − μ2‖² + Tr(Σ1 + Σ2 − 2 (Σ1 Σ2)^{1/2}).
 * Units: squared feature units. 0 for identical Gaussians. Rounding can leave a value a little
 * below 0 for near-identical inputs, so the result is clamped at 0.
 */
export function frechetDistance(a: GaussianFit, b: GaussianFit): number {
  if (a.mean.length !== b.mean.length || a.covariance.rows !== a.mean.length || b.covariance.rows !== b.mean.length) {
    throw new RangeError(`Gaussian dimension mismatch: means of length ${a.mean.length} and ${b.mean.length}, covariances ${a.covariance.rows}×${a.covariance.columns} and ${b.covariance.rows}×${b.covariance.columns}.`);
  }
  let meanTerm = 0;
  for (let d = 0; d < a.mean.length; d++) meanTerm += (a.mean[d] - b.mean[d]) ** 2;

  const traceTerm = a.covariance.trace() + b.covariance.trace() - 2 * traceSqrtProduct(a.covariance, b.covariance);
  return Math.max(0, meanTerm + traceTerm);
}

/** Fits Gaussians to both feature sets and returns their Fréchet distance. */
export function featureFrechetDistance(real: FeatureSet, generated: FeatureSet): number {
  return frechetDistance(fitGaussian(real), fitGaussian(generated));
}
