// Spectral normalization (Miyato et al. 2018, "Spectral Normalization for Generative Adversarial
// Networks"): W_SN = W / σ(W), where σ(W) is W's largest singular value, estimated by power
// iteration with a persistent vector u that carries over from one training step to the next.
//
// A kernel is seen as a matrix W of shape (inputs, outputs): dense kernels as they are, conv
// kernels [kh, kw, cin, cout] reshaped to (kh·kw·cin, cout), and conv-transpose kernels
// [kh, kw, cout, cin] transposed to [kh, kw, cin, cout] first. Then u ∈ R^outputs,
// v ∈ R^inputs, and one iteration is v ← W·u / ‖W·u‖, u ← Wᵀ·v / ‖Wᵀ·v‖, σ ≈ vᵀ·W·u.
import * as tf from '@tensorflow/tfjs';

/** Keeps the normalization finite when W·u is the zero vector. */
const NORMALIZE_EPSILON = 1e-12;

export type KernelLayout = 'dense' | 'conv' | 'conv-transpose';

/** Reshapes a kernel into the matrix whose largest singular value is normalized. */
export function kernelMatrix(kernel: tf.Tensor, layout: KernelLayout): tf.Tensor2D {
  return tf.tidy(() => {
    if (layout === 'dense') return kernel as tf.Tensor2D;

    const oriented = layout === 'conv-transpose' ? tf.transpose(kernel, [0, 1, 3, 2]) : kernel;
    const outputs = oriented.shape[oriented.rank - 1];
    return tf.reshape(oriented, [-1, outputs]) as tf.Tensor2D;
  });
}

function normalize(vector: tf.Tensor1D): tf.Tensor1D {
  return tf.div(vector, tf.add(tf.norm(vector), NORMALIZE_EPSILON)) as tf.Tensor1D;
}

/** One power iteration on `matrix` (inputs × outputs) from `u` (length outputs); returns the new u and v. */
export function powerIteration(matrix: tf.Tensor2D, u: tf.Tensor1D): { u: tf.Tensor1D; v: tf.Tensor1D } {
  return tf.tidy(() => {
    const v = normalize(tf.squeeze(tf.matMul(matrix, tf.reshape(u, [-1, 1])), [1]) as tf.Tensor1D);
    const nextU = normalize(tf.squeeze(tf.matMul(matrix, tf.reshape(v, [-1, 1]), true, false), [1]) as tf.Tensor1D);
    return { u: nextU, v };
  });
}

/** σ ≈ vᵀ·W·u. Differentiable with respect to W; u and v enter as constants. */
export function spectralNormEstimate(matrix: tf.Tensor2D, u: tf.Tensor1D, v: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.mul(tf.squeeze(tf.matMul(matrix, tf.reshape(u, [-1, 1])), [1]), v)) as tf.Scalar);
}

/**
 * Returns W / σ(W) in the kernel's own shape. Call it inside the gradient tape with the kernel
 * variable and with u and v from the last `powerIteration` (run outside the tape), so that the
 * gradient flows through σ to W but not through the power iteration, as in the paper.
 */
export function spectrallyNormalized(kernel: tf.Tensor, layout: KernelLayout, u: tf.Tensor1D, v: tf.Tensor1D): tf.Tensor {
  return tf.tidy(() => tf.div(kernel, spectralNormEstimate(kernelMatrix(kernel, layout), u, v)));
}
