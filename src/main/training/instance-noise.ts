// Instance noise (Sønderby et al. 2017, "Amortised MAP Inference for Image Super-resolution",
// section on instance noise): Gaussian noise added to every input of D, real and generated,
// so that the two distributions overlap and D cannot separate them perfectly early in training.
import * as tf from '@tensorflow/tfjs';

import type { InstanceNoiseConfig } from '../../shared/config';

/**
 * Returns the noise std at `step` (1-based) from the configured schedule. With t = (step − 1) / N,
 * capped at 1, and N = `annealSteps` (or `totalSteps` when 0): linear std·(1 − t), cosine
 * std·½(1 + cos πt), constant std. So the std is `std` at step 1 and 0 from step N + 1 on.
 */
export function scheduledNoiseStd(config: InstanceNoiseConfig, step: number, totalSteps: number): number {
  if (config.std === 0 || config.schedule === 'constant') return config.std;

  const horizon = config.annealSteps > 0 ? config.annealSteps : totalSteps;
  const t = Math.min(1, Math.max(0, (step - 1) / horizon));
  if (config.schedule === 'linear') return config.std * (1 - t);
  return config.std * 0.5 * (1 + Math.cos(Math.PI * t));
}

/** Returns x + std·ε with ε ~ N(0, I) drawn from `seed`; `std` is a number or a scalar tensor. */
export function addInstanceNoise(x: tf.Tensor, std: number | tf.Scalar, seed: number): tf.Tensor {
  return tf.tidy(() => tf.add(x, tf.mul(tf.randomNormal(x.shape, 0, 1, 'float32', seed), std)));
}
