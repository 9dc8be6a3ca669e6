// GAN losses as discriminator/generator pairs on raw logits.
//
// Notation: r are D's logits on real examples, f its logits on generated ones, σ the logistic
// sigmoid and softplus(t) = log(1 + eᵗ). Every loss is a mean over the batch, and both sides
// are minimized. The identities −log σ(t) = softplus(−t) and −log(1 − σ(t)) = softplus(t) keep
// the sigmoid losses finite for any logit, with no clipping of probabilities.
// The gradient penalties live in regularizers.ts, so that any loss can use them.
import * as tf from '@tensorflow/tfjs';

import type { LossKind } from '../../shared/config';

/** D's loss split into its term on the real batch and its term on the generated batch. */
export interface DiscriminatorTerms {
  real: tf.Scalar;
  fake: tf.Scalar;
}

/** One GAN loss: the discriminator's and the generator's objective, both minimized. */
export interface GanLoss {
  /** D's loss as two terms whose sum is `discriminator(realLogits, fakeLogits)`. */
  discriminatorTerms(realLogits: tf.Tensor, fakeLogits: tf.Tensor): DiscriminatorTerms;
  /** D's loss from its logits on a real batch and on a generated batch. */
  discriminator(realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar;
  /** G's loss from D's logits on a generated batch and, for relativistic losses, on a real batch. */
  generator(fakeLogits: tf.Tensor, realLogits?: tf.Tensor): tf.Scalar;
  /** True when `generator` needs the real logits (relativistic losses). */
  readonly needsRealLogits: boolean;
}

export interface LossOptions {
  /** One-sided label smoothing (Salimans et al. 2016): the target of real examples in D's loss
   * for minimax and ns. Above 0 to 1; 1 means none. Other losses ignore it. */
  realLabel?: number;
}

type Term = (realLogits: tf.Tensor, fakeLogits: tf.Tensor) => tf.Tensor;

/** Builds a loss from its three terms; each result is a scalar made inside tf.tidy. */
function lossFromTerms(realTerm: Term, fakeTerm: Term, generatorTerm: Term, needsRealLogits = false): GanLoss {
  const discriminatorTerms = (realLogits: tf.Tensor, fakeLogits: tf.Tensor): DiscriminatorTerms => ({
    real: tf.tidy(() => realTerm(realLogits, fakeLogits)) as tf.Scalar,
    fake: tf.tidy(() => fakeTerm(realLogits, fakeLogits)) as tf.Scalar,
  });

  return {
    discriminatorTerms,
    discriminator: (realLogits, fakeLogits) => tf.tidy(() => tf.add(realTerm(realLogits, fakeLogits), fakeTerm(realLogits, fakeLogits))) as tf.Scalar,
    generator: (fakeLogits, realLogits) => {
      if (needsRealLogits && realLogits === undefined) {
        throw new Error('This relativistic loss needs D\'s logits on a real batch for G\'s loss; pass realLogits as the second argument.');
      }
      return tf.tidy(() => generatorTerm(realLogits as tf.Tensor, fakeLogits)) as tf.Scalar;
    },
    needsRealLogits,
  };
}

/**
 * D's real term of the logistic losses with target t for real examples, the binary cross-entropy
 * on logits: t·softplus(−r) + (1 − t)·softplus(r). With t = 1 it is softplus(−r).
 */
function logisticRealTerm(realLabel: number): Term {
  if (realLabel === 1) return (r) => tf.mean(tf.softplus(tf.neg(r)));
  return (r) => tf.mean(tf.add(tf.mul(realLabel, tf.softplus(tf.neg(r))), tf.mul(1 - realLabel, tf.softplus(r))));
}

/**
 * Minimax GAN (Goodfellow et al. 2014, "Generative Adversarial Nets").
 * D: mean[−log σ(r)] + mean[−log(1 − σ(f))] = mean softplus(−r) + mean softplus(f).
 * G: mean log(1 − σ(f)) = −mean softplus(f). It saturates: its gradient vanishes while D
 * rejects the generated examples confidently.
 */
function minimax(realLabel: number): GanLoss {
  return lossFromTerms(
    logisticRealTerm(realLabel),
    (_r, f) => tf.mean(tf.softplus(f)),
    (_r, f) => tf.neg(tf.mean(tf.softplus(f))),
  );
}

/**
 * Non-saturating GAN (Goodfellow et al. 2014): D as in minimax.
 * G: mean[−log σ(f)] = mean softplus(−f).
 */
function nonSaturating(realLabel: number): GanLoss {
  return lossFromTerms(
    logisticRealTerm(realLabel),
    (_r, f) => tf.mean(tf.softplus(f)),
    (_r, f) => tf.mean(tf.softplus(tf.neg(f))),
  );
}

/**
 * Wasserstein loss (Arjovsky et al. 2017, "Wasserstein GAN"; Gulrajani et al. 2017 for WGAN-GP):
 * D is a critic. D: mean f − mean r. G: −mean f. `wgan` keeps the critic Lipschitz by weight
 * clipping (gan-step.ts), `wgan-gp` by the gradient penalty (regularizers.ts).
 */
const wasserstein: GanLoss = lossFromTerms(
  (r) => tf.neg(tf.mean(r)),
  (_r, f) => tf.mean(f),
  (_r, f) => tf.neg(tf.mean(f)),
);

/**
 * Hinge loss (Lim & Ye 2017, "Geometric GAN"; Miyato et al. 2018, "Spectral Normalization").
 * D: mean relu(1 − r) + mean relu(1 + f).
 * G: −mean f.
 */
const hinge: GanLoss = lossFromTerms(
  (r) => tf.mean(tf.relu(tf.sub(1, r))),
  (_r, f) => tf.mean(tf.relu(tf.add(1, f))),
  (_r, f) => tf.neg(tf.mean(f)),
);

/**
 * Least-squares GAN (Mao et al. 2017, "Least Squares Generative Adversarial Networks") with the
 * targets a = 0 (fake), b = 1 (real) and c = 1 (what G wants D to output).
 * D: ½ mean (r − 1)² + ½ mean f².
 * G: ½ mean (f − 1)².
 */
const lsgan: GanLoss = lossFromTerms(
  (r) => tf.mul(0.5, tf.mean(tf.square(tf.sub(r, 1)))),
  (_r, f) => tf.mul(0.5, tf.mean(tf.square(f))),
  (_r, f) => tf.mul(0.5, tf.mean(tf.square(tf.sub(f, 1)))),
);

/**
 * Relativistic average GAN, RaSGAN (Jolicoeur-Martineau 2018, "The relativistic discriminator: a
 * key element missing from standard GAN"). With r̄ = mean r and f̄ = mean f:
 * D: −mean log σ(r − f̄) − mean log(1 − σ(f − r̄)) = mean softplus(f̄ − r) + mean softplus(f − r̄).
 * G, the same with the roles swapped: mean softplus(r̄ − f) + mean softplus(r − f̄).
 */
const relativisticAverage: GanLoss = lossFromTerms(
  (r, f) => tf.mean(tf.softplus(tf.sub(tf.mean(f), r))),
  (r, f) => tf.mean(tf.softplus(tf.sub(f, tf.mean(r)))),
  (r, f) => tf.add(tf.mean(tf.softplus(tf.sub(tf.mean(r), f))), tf.mean(tf.softplus(tf.sub(r, tf.mean(f))))),
  true,
);

const LOSS_FACTORIES: Record<LossKind, (options: Required<LossOptions>) => GanLoss> = {
  minimax: (options) => minimax(options.realLabel),
  ns: (options) => nonSaturating(options.realLabel),
  wgan: () => wasserstein,
  'wgan-gp': () => wasserstein,
  hinge: () => hinge,
  lsgan: () => lsgan,
  ragan: () => relativisticAverage,
};

/** Returns the discriminator/generator pair for a loss kind. */
export function getLoss(kind: LossKind, options: LossOptions = {}): GanLoss {
  const factory = LOSS_FACTORIES[kind];
  if (factory === undefined) {
    throw new Error(`Unknown loss kind "${String(kind)}": expected one of ${Object.keys(LOSS_FACTORIES).join(', ')}.`);
  }
  const realLabel = options.realLabel ?? 1;
  if (!(realLabel > 0 && realLabel <= 1)) {
    throw new Error(`Invalid real label ${realLabel}: expected a number above 0 and at most 1, e.g. 0.9 for one-sided label smoothing.`);
  }

  return factory({ realLabel });
}
