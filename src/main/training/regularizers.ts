// Gradient penalties on D (WGAN-GP, R1, R2), separate from the loss so that any loss can use
// them, and the rule that decides which penalty a run applies on which D update.
import * as tf from '@tensorflow/tfjs';

import type { PenaltyKind, RunConfig } from '../../shared/config';

/**
 * Small constant under the square root of the gradient norm. The derivative of √s is infinite
 * at s = 0, which a zero input gradient (a dead ReLU region) would otherwise turn into NaN.
 */
const NORM_EPSILON = 1e-12;

/** The penalty a run applies: its kind, its weight (λ or γ) and its lazy interval. */
export interface PenaltyPlan {
  kind: Exclude<PenaltyKind, 'none'>;
  weight: number;
  every: number;
}

/**
 * Returns the run's penalty, or null for none. `penalty.kind` wins; with `penalty.kind` "none"
 * and loss `wgan-gp`, the WGAN-GP penalty applies on every D update with
 * `loss.gradientPenaltyWeight`, as before penalties became a separate field.
 */
export function resolvePenalty(config: Pick<RunConfig, 'loss' | 'penalty'>): PenaltyPlan | null {
  const { penalty, loss } = config;
  if (penalty.kind !== 'none') return { kind: penalty.kind, weight: penalty.weight, every: penalty.every };
  if (loss.kind === 'wgan-gp') return { kind: 'wgan-gp', weight: loss.gradientPenaltyWeight, every: 1 };
  return null;
}

/** Whether D update number `updateIndex` (0-based over the run) computes the penalty. */
export function appliesOnUpdate(plan: PenaltyPlan, updateIndex: number): boolean {
  return updateIndex % plan.every === 0;
}

/**
 * Returns the penalty term added to D's loss from the unweighted penalty value: λ·GP for
 * wgan-gp and γ/2·E‖∇D‖² for r1 and r2, times `every` for lazy regularization (Karras et al.
 * 2020 multiply by the interval so that the penalty's average strength stays the same).
 */
export function weightedPenalty(plan: PenaltyPlan, penalty: tf.Scalar): tf.Scalar {
  const factor = (plan.kind === 'wgan-gp' ? plan.weight : plan.weight / 2) * plan.every;
  return tf.mul(penalty, factor) as tf.Scalar;
}

/**
 * Computes the WGAN-GP two-sided gradient penalty (Gulrajani et al. 2017):
 * mean over the batch of (‖∇x̂ D(x̂)‖₂ − 1)², with the norm taken per example, on the
 * interpolates x̂ = α·x + (1 − α)·x̃ of the real batch x and the generated batch x̃.
 * The caller multiplies it by λ and adds it to D's loss.
 *
 * `alpha` contains one weight per example, drawn from U[0, 1]: shape [batch] or any shape that
 * broadcasts against `real`, such as [batch, 1, 1, 1]. The penalty depends on D's weights
 * through ∇x̂ D, so minimizing it needs second derivatives: call it inside
 * `optimizer.minimize` or `tf.variableGrads` and tfjs differentiates through `tf.grad`.
 *
 * NOTE: with batch normalization in D, each example's output depends on the whole batch, so
 * the per-example gradient is not the quantity the paper penalizes; the paper uses layer
 * normalization in the critic for this reason.
 */
export function gradientPenalty(critic: (x: tf.Tensor) => tf.Tensor, real: tf.Tensor, fake: tf.Tensor, alpha: tf.Tensor): tf.Scalar {
  registerGreaterGradient();
  if (!tf.util.arraysEqual(real.shape, fake.shape)) {
    throw new Error(
      `Gradient penalty: real batch shape [${real.shape.join(', ')}] differs from generated batch shape [${fake.shape.join(', ')}]; pass batches of the same size and example shape.`,
    );
  }
  const batchSize = real.shape[0];
  if (alpha.size !== batchSize) {
    throw new Error(`Gradient penalty: alpha has ${alpha.size} values, expected one per example (${batchSize}). Draw alpha with shape [${batchSize}].`);
  }

  return tf.tidy(() => {
    const alphaShape = [batchSize, ...real.shape.slice(1).map(() => 1)];
    const weights = tf.reshape(alpha, alphaShape);
    const interpolates = tf.add(tf.mul(weights, real), tf.mul(tf.sub(1, weights), fake));
    const norms = tf.sqrt(tf.add(perExampleSquaredGradientNorms(critic, interpolates), NORM_EPSILON));
    return tf.mean(tf.square(tf.sub(norms, 1))) as tf.Scalar;
  });
}

/**
 * Computes E‖∇x D(x)‖², the mean over the batch of each example's squared input-gradient norm.
 * R1 (Mescheder et al. 2018, "Which Training Methods for GANs do actually Converge?") is γ/2 times
 * this on the real batch, R2 the same on the generated batch. As with `gradientPenalty`, call it
 * inside `tf.variableGrads` to get its gradient with respect to D's weights.
 */
export function squaredGradientNorm(critic: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor): tf.Scalar {
  registerGreaterGradient();
  return tf.tidy(() => tf.mean(perExampleSquaredGradientNorms(critic, x)) as tf.Scalar);
}

/** ‖∇x D(x)‖² per example, shape [batch]. Summing the critic over the batch gives each example's
 * own gradient in its row, because example i's output depends only on example i (no batch norm). */
function perExampleSquaredGradientNorms(critic: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor): tf.Tensor1D {
  const inputGradient = tf.grad((input: tf.Tensor) => tf.sum(critic(input)))(x);
  const perExample = tf.reshape(inputGradient, [x.shape[0], -1]);
  return tf.sum(tf.square(perExample), 1) as tf.Tensor1D;
}

/**
 * Registers the zero gradient of the `Greater` comparison, which tfjs-core 4.22 lacks
 * (`GreaterEqual` has one). The gradient of LeakyReLU builds its mask with `greater(x, 0)`, so
 * differentiating that gradient again, as the penalties do, fails with "Cannot compute gradient:
 * gradient function not found for Greater" in any D with LeakyReLU. A comparison is piecewise
 * constant, so zero is its exact gradient wherever it is defined.
 */
export function registerGreaterGradient(): void {
  if (tf.getGradient('Greater') !== undefined) return;

  tf.registerGradient({
    kernelName: 'Greater',
    inputsToSave: ['a', 'b'],
    gradFunc: (_dy, saved) => {
      const [a, b] = saved;
      return { a: () => tf.zerosLike(a), b: () => tf.zerosLike(b) };
    },
  });
}
