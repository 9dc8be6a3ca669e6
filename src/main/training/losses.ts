// GAN losses as discriminator/generator pairs on raw logits, plus the WGAN-GP gradient penalty.
//
// Notation: r are D's logits on real examples, f its logits on generated ones, σ the logistic
// sigmoid and softplus(t) = log(1 + eᵗ). Every loss is a mean over the batch, and both sides
// are minimized. The identities −log σ(t) = softplus(−t) and −log(1 − σ(t)) = softplus(t) keep
// the sigmoid losses finite for any logit, with no clipping of probabilities.
import * as tf from '@tensorflow/tfjs';

import type { LossKind } from '../../shared/config';

/** One GAN loss: the discriminator's and the generator's objective, both minimized. */
export interface GanLoss {
  /** D's loss from its logits on a real batch and on a generated batch. */
  discriminator(realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar;
  /** G's loss from D's logits on a generated batch. */
  generator(fakeLogits: tf.Tensor): tf.Scalar;
}

/**
 * Minimax GAN (Goodfellow et al. 2014, "Generative Adversarial Nets").
 * D: mean[−log σ(r)] + mean[−log(1 − σ(f))] = mean softplus(−r) + mean softplus(f).
 * G: mean log(1 − σ(f)) = −mean softplus(f). It saturates: its gradient vanishes while D
 * rejects the generated examples confidently.
 */
/** Runs `compute` in tf.tidy and returns its scalar result. */
function scalarLoss(compute: () => tf.Tensor): tf.Scalar {
  return tf.tidy(compute) as tf.Scalar;
}

const minimax: GanLoss = {
  discriminator: (realLogits, fakeLogits) => scalarLoss(() => tf.add(tf.mean(tf.softplus(tf.neg(realLogits))), tf.mean(tf.softplus(fakeLogits)))),
  generator: (fakeLogits) => scalarLoss(() => tf.neg(tf.mean(tf.softplus(fakeLogits)))),
};

/**
 * Non-saturating GAN (Goodfellow et al. 2014): D as in minimax.
 * G: mean[−log σ(f)] = mean softplus(−f).
 */
const nonSaturating: GanLoss = {
  discriminator: minimax.discriminator,
  generator: (fakeLogits) => scalarLoss(() => tf.mean(tf.softplus(tf.neg(fakeLogits)))),
};

/**
 * WGAN-GP (Gulrajani et al. 2017, "Improved Training of Wasserstein GANs"): D is a critic.
 * D: mean f − mean r, to which the trainer adds λ · gradientPenalty(...).
 * G: −mean f.
 */
const wganGp: GanLoss = {
  discriminator: (realLogits, fakeLogits) => scalarLoss(() => tf.sub(tf.mean(fakeLogits), tf.mean(realLogits))),
  generator: (fakeLogits) => scalarLoss(() => tf.neg(tf.mean(fakeLogits))),
};

/**
 * Hinge loss (Lim & Ye 2017, "Geometric GAN"; Miyato et al. 2018, "Spectral Normalization").
 * D: mean relu(1 − r) + mean relu(1 + f).
 * G: −mean f.
 */
const hinge: GanLoss = {
  discriminator: (realLogits, fakeLogits) =>
    scalarLoss(() => tf.add(tf.mean(tf.relu(tf.sub(1, realLogits))), tf.mean(tf.relu(tf.add(1, fakeLogits))))),
  generator: (fakeLogits) => scalarLoss(() => tf.neg(tf.mean(fakeLogits))),
};

/**
 * Least-squares GAN (Mao et al. 2017, "Least Squares Generative Adversarial Networks") with the
 * targets a = 0 (fake), b = 1 (real) and c = 1 (what G wants D to output).
 * D: ½ mean (r − 1)² + ½ mean f².
 * G: ½ mean (f − 1)².
 */
const lsgan: GanLoss = {
  discriminator: (realLogits, fakeLogits) =>
    scalarLoss(() => tf.add(tf.mul(0.5, tf.mean(tf.square(tf.sub(realLogits, 1)))), tf.mul(0.5, tf.mean(tf.square(fakeLogits))))),
  generator: (fakeLogits) => scalarLoss(() => tf.mul(0.5, tf.mean(tf.square(tf.sub(fakeLogits, 1))))),
};

const LOSSES: Record<LossKind, GanLoss> = {
  minimax,
  ns: nonSaturating,
  'wgan-gp': wganGp,
  hinge,
  lsgan,
};

/** Returns the discriminator/generator pair for a loss kind. */
export function getLoss(kind: LossKind): GanLoss {
  const loss = LOSSES[kind];
  if (loss === undefined) {
    throw new Error(`Unknown loss kind "${String(kind)}": expected one of ${Object.keys(LOSSES).join(', ')}.`);
  }
  return loss;
}

/**
 * Small constant under the square root of the gradient norm. The derivative of √s is infinite
 * at s = 0, which a zero input gradient (a dead ReLU region) would otherwise turn into NaN.
 */
const NORM_EPSILON = 1e-12;

/**
 * Computes the WGAN-GP two-sided gradient penalty (Gulrajani et al. 2017):
 * mean over the batch of (‖∇x̂ D(x̂)‖₂ − 1)², with the norm taken per example, on the
 * interpolates x̂ = α·x + (1 − α)·x̃ of the real batch x and the generated batch x̃.
 * The trainer multiplies it by λ (`LossConfig.gradientPenaltyWeight`) and adds it to D's loss.
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

    // Summing the critic over the batch gives each example's own gradient in its row,
    // because example i's output depends only on example i (see the NOTE above).
    const inputGradient = tf.grad((x: tf.Tensor) => tf.sum(critic(x)))(interpolates);
    const perExample = tf.reshape(inputGradient, [batchSize, -1]);
    const norms = tf.sqrt(tf.add(tf.sum(tf.square(perExample), 1), NORM_EPSILON));
    return tf.mean(tf.square(tf.sub(norms, 1))) as tf.Scalar;
  });
}

/**
 * Registers the zero gradient of the `Greater` comparison, which tfjs-core 4.22 lacks
 * (`GreaterEqual` has one). The gradient of LeakyReLU builds its mask with `greater(x, 0)`, so
 * differentiating that gradient again, as the penalty does, fails with "Cannot compute gradient:
 * gradient function not found for Greater" in any D with LeakyReLU. A comparison is piecewise
 * constant, so zero is its exact gradient wherever it is defined.
 */
function registerGreaterGradient(): void {
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
