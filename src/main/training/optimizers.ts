// Creates the tfjs optimizer for one network from the run's optimizer config.
import * as tf from '@tensorflow/tfjs';

import type { OptimizerConfig } from '../../shared/config';

/** RMSProp's decay of the running mean of squared gradients; tfjs 4.22's default too. */
const RMSPROP_DECAY = 0.9;

/**
 * Returns a new optimizer: Adam (learningRate, beta1, beta2), RMSProp (learningRate, decay 0.9,
 * momentum) or SGD (learningRate; with momentum > 0, classical momentum SGD).
 * Each network needs its own optimizer, because optimizers keep per-variable state.
 */
export function createOptimizer(config: OptimizerConfig): tf.Optimizer {
  if (!(Number.isFinite(config.learningRate) && config.learningRate > 0)) {
    throw new Error(`Invalid learning rate ${config.learningRate}: expected a finite number above 0, e.g. 2e-4.`);
  }

  switch (config.kind) {
    case 'adam':
      return tf.train.adam(config.learningRate, config.beta1, config.beta2);
    case 'rmsprop':
      return tf.train.rmsprop(config.learningRate, RMSPROP_DECAY, config.momentum);
    case 'sgd':
      return config.momentum > 0 ? tf.train.momentum(config.learningRate, config.momentum) : tf.train.sgd(config.learningRate);
    default:
      throw new Error(`Unknown optimizer kind "${String((config as { kind: unknown }).kind)}": expected adam, rmsprop or sgd.`);
  }
}

/**
 * Sets an optimizer's learning rate for its next updates. SGD and momentum keep the negated rate
 * as a tensor, so they go through `setLearningRate`; Adam and RMSProp read their `learningRate`
 * field at each update (tfjs-core 4.22).
 */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  if (!(Number.isFinite(learningRate) && learningRate >= 0)) {
    throw new Error(`Invalid learning rate ${learningRate}: expected a finite number of at least 0.`);
  }

  // tfjs optimizers implement instanceof by duck typing (any optimizer is an `SGDOptimizer`), so
  // the check is for the method itself.
  const sgd = optimizer as unknown as { setLearningRate?: (rate: number) => void; learningRate: number };
  if (typeof sgd.setLearningRate === 'function') {
    sgd.setLearningRate(learningRate);
    return;
  }
  sgd.learningRate = learningRate;
}

/** Returns the learning rate the optimizer uses now. */
export function getLearningRate(optimizer: tf.Optimizer): number {
  return (optimizer as unknown as { learningRate: number }).learningRate;
}
