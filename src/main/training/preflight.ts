// Checks made before a run is created, so that a bad dataset file or an unavailable forced
// backend is rejected up front and nothing is written to the database. Also the pre-flight
// warnings that the trainer sends before step 1 about settings that train badly together.
import type * as tf from '@tensorflow/tfjs';

import type { BackendChoice, DatasetConfig, RunConfig } from '../../shared/config';
import { loadDataset, type LoadedDataset } from '../data/dataset';
import { probeBackends } from './backend';
import { resolvePenalty } from './regularizers';

/** Loads a file-based dataset once to validate it; throws the loader's error when it is bad.
 * The built-in mixtures need no check. */
export async function checkDatasetLoads(dataset: DatasetConfig): Promise<void> {
  if (dataset.kind === 'ring8' || dataset.kind === 'grid25') return;
  await loadDataset(dataset, 0);
}

/** Throws when `choice` forces a backend that cannot load here, naming the reason. */
export async function checkBackendAvailable(choice: BackendChoice): Promise<void> {
  if (choice === 'auto') return;

  const status = (await probeBackends()).find((backend) => backend.name === choice);
  if (status && !status.available) {
    throw new Error(`backend "${choice}" is not available: ${status.reason ?? 'unknown reason'}. Use --backend auto or install it.`);
  }
}

/** Real examples read to measure the data's range. */
const RANGE_SAMPLE = 256;
/** Slack on G's output range, so that rounding in the data does not raise a warning. */
const RANGE_TOLERANCE = 1e-3;
/** Activations that bound D's output, which a Wasserstein critic must not have. */
const BOUNDED_ACTIVATIONS = new Set(['sigmoid', 'tanh', 'softmax', 'hardSigmoid']);

/**
 * Returns one sentence per misconfiguration found before step 1: the reason and what to change.
 * The trainer sends each as a 'warning' event at step 0; none of them stops the run.
 */
export function preflightWarnings(config: RunConfig, dataset: LoadedDataset, discriminator: tf.LayersModel): string[] {
  const warnings: string[] = [];
  const loss = config.loss.kind;
  const isWasserstein = loss === 'wgan' || loss === 'wgan-gp';
  const penalty = resolvePenalty(config);

  // G ends in tanh for images (models.ts); its linear output for points can reach any value.
  if (dataset.kind === 'images') {
    const { min, max } = dataRange(dataset);
    if (min < -1 - RANGE_TOLERANCE || max > 1 + RANGE_TOLERANCE) {
      warnings.push(
        `The real images range from ${min} to ${max}, but G ends in tanh and can only output −1 to 1, so D can tell them apart by range alone; scale the data to [−1, 1].`,
      );
    }
  }

  const outputActivation = finalActivation(discriminator);
  if (isWasserstein && outputActivation !== null && BOUNDED_ACTIVATIONS.has(outputActivation)) {
    warnings.push(
      `Loss ${loss} needs an unbounded critic, but D's output passes through ${outputActivation}; remove that activation so D returns raw scores.`,
    );
  }

  if (config.realLabel < 1 && loss !== 'minimax' && loss !== 'ns') {
    const reason = isWasserstein ? 'a Wasserstein critic has no target labels' : `loss ${loss} has no label to smooth`;
    warnings.push(`realLabel ${config.realLabel} has no effect: label smoothing applies to the minimax and ns losses only, and ${reason}. Set realLabel to 1.`);
  }

  if (penalty !== null && config.model.discriminator.normalization === 'batch') {
    warnings.push(
      `The ${penalty.kind} gradient penalty is computed per example, but batch normalization in D mixes the examples of a batch, so the penalty constrains the wrong function; use layer normalization in D (model.discriminator.normalization "layer").`,
    );
  }

  if (loss === 'wgan' && penalty !== null) {
    warnings.push(
      `Loss wgan clips D's weights to ±${config.wganClip} and the ${penalty.kind} penalty constrains D as well; use one of them (loss wgan-gp without clipping, or penalty "none").`,
    );
  }

  if (loss === 'wgan-gp' && config.penalty.kind !== 'none' && config.penalty.kind !== 'wgan-gp') {
    warnings.push(`Loss wgan-gp with penalty ${config.penalty.kind} applies ${config.penalty.kind} instead of the WGAN-GP penalty; choose loss wgan if that is intended.`);
  }

  warnings.push(...controllerWarnings(config));

  if (config.emaGenerator.enabled) {
    const horizon = 1 / (1 - config.emaGenerator.decay);
    if (horizon > config.steps) {
      warnings.push(
        `The EMA generator with decay ${config.emaGenerator.decay} averages over about ${Math.round(horizon)} G updates, more than the run's ${config.steps} steps, so its samples stay close to the untrained G; lower the decay (e.g. ${suggestedDecay(config.steps)}).`,
      );
    }
  }

  for (const [network, schedule] of [['discriminator', config.lrSchedule.discriminator], ['generator', config.lrSchedule.generator]] as const) {
    if (schedule.kind === 'step' && schedule.stepSize >= config.steps) {
      warnings.push(`The ${network}'s step schedule decays every ${schedule.stepSize} steps, but the run has only ${config.steps}, so the learning rate never changes; lower lrSchedule.${network}.stepSize.`);
    }
  }

  return warnings;
}

function controllerWarnings(config: RunConfig): string[] {
  const controller = config.controller;
  const warnings: string[] = [];
  if (controller.kind === 'rt' && config.instanceNoise.std > 0 && config.instanceNoise.schedule !== 'constant') {
    warnings.push(`The rt controller sets the instance-noise std itself, starting from ${config.instanceNoise.std}, so instanceNoise.schedule "${config.instanceNoise.schedule}" is ignored.`);
  }
  if (controller.kind === 'step-ratio' && config.nD > controller.maxND) {
    warnings.push(`nD ${config.nD} is above controller.maxND ${controller.maxND}: the step-ratio controller starts at ${config.nD} but never raises nD above ${controller.maxND} again.`);
  }
  return warnings;
}

/** Returns the smallest and largest value in a sample of the real data. */
function dataRange(dataset: LoadedDataset): { min: number; max: number } {
  const values = dataset.realBatch(Math.min(RANGE_SAMPLE, dataset.identity.items));
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { min, max };
}

/** Returns the activation applied to D's output by its last layer, or null for a linear output. */
function finalActivation(discriminator: tf.LayersModel): string | null {
  const last = discriminator.layers[discriminator.layers.length - 1];
  const activation = last?.getConfig().activation;
  return typeof activation === 'string' && activation !== 'linear' ? activation : null;
}

/** Returns a decay whose averaging horizon 1/(1 − β) is a tenth of the run. */
function suggestedDecay(steps: number): number {
  return Number((1 - 10 / Math.max(steps, 20)).toFixed(3));
}
