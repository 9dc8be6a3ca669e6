// One GAN training step (nD discriminator updates, then nG generator updates) on tf.js models,
// with the run's balancing techniques: gradient penalties, weight clipping, spectral norm,
// feature matching, instance noise, the EMA generator, learning-rate schedules and a controller.
// The trainer and the benchmark share it, so the benchmark measures the code that trains.
import * as tf from '@tensorflow/tfjs';
import type { LossKind, RunConfig } from '../../shared/config';
import type { BalanceController, ControllerChange } from './controllers/balance-controller';
import { createController } from './controllers/create-controller';
import { EmaGenerator } from './ema-generator';
import { applyWithFeatures, featureMatchingLoss, resolveFeatureLayer } from './feature-matching';
import { addInstanceNoise, scheduledNoiseStd } from './instance-noise';
import { getLoss, type GanLoss } from './losses';
import { learningRateMultiple } from './lr-schedule';
import { buildDiscriminator, buildGenerator } from './models';
import { createOptimizer, setLearningRate } from './optimizers';
import { appliesOnUpdate, gradientPenalty, resolvePenalty, squaredGradientNorm, weightedPenalty, type PenaltyPlan } from './regularizers';
import { powerIterateModel } from './spectral-norm-layers';

/** Supplies one flattened real batch (batchSize × prod(dataShape) floats). */
export type RealBatchSource = (batchSize: number) => Float32Array;

/** Scalars read at a logging step; every value is a plain number. */
export type StepStatistics = Record<string, number>;

/** Offsets that separate the random streams drawn from one run seed. */
const SEED_STREAM = { generatorWeights: 1, discriminatorWeights: 2, fixedLatent: 3, latent: 4, interpolation: 5, instanceNoise: 6 } as const;

/**
 * D's logit below which an example counts as saturated: σ(−5) ≈ 0.0067, so σ'(f) = σ(1 − σ)
 * ≈ 0.0066 and the minimax G loss log(1 − σ(f)) passes almost no gradient back to G.
 */
const SATURATED_LOGIT = -5;

/** Derives a 31-bit seed for one random draw from the run seed, the step and a stream id,
 * so that every draw is reproducible and draws never share a seed. */
function drawSeed(runSeed: number, step: number, stream: number, index: number): number {
  let h = (runSeed ^ 0x9e3779b9) >>> 0;
  for (const value of [step, stream, index]) {
    h = Math.imul(h ^ value, 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h & 0x7fffffff;
}

/** L2 norm over every gradient entry, as one scalar tensor (not read here). */
function globalNorm(grads: tf.NamedTensorMap): tf.Scalar {
  return tf.tidy(() => tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))))) as tf.Scalar);
}

/** Returns how to read a loss's discriminator output: the decision threshold for accuracy, and
 * whether mean D(x) is reported as σ(logit) or as the raw output. */
function outputView(loss: LossKind): { threshold: number; squash: boolean } {
  // LSGAN regresses D's raw output onto the targets 1 (real) and 0 (fake), so its decision
  // boundary is 0.5 on the raw output. The Wasserstein critics are unbounded; their raw means
  // are what the Wasserstein estimate uses. The logistic losses and hinge decide at logit 0.
  if (loss === 'lsgan') return { threshold: 0.5, squash: false };
  if (loss === 'wgan' || loss === 'wgan-gp') return { threshold: 0, squash: false };
  return { threshold: 0, squash: true };
}

/** The instance-noise std of one step: a number from the schedule, the controller's scalar, or null for none. */
type NoiseStd = number | tf.Scalar | null;

export class GanStep {
  readonly generator: tf.LayersModel;
  readonly discriminator: tf.LayersModel;
  /** The EMA copy of G, when `emaGenerator.enabled`. */
  readonly emaGenerator: EmaGenerator | null;
  private readonly optimizerD: tf.Optimizer;
  private readonly optimizerG: tf.Optimizer;
  private readonly loss: GanLoss;
  private readonly dataShape: number[];
  private readonly config: RunConfig;
  private readonly varsD: tf.Variable[];
  private readonly varsG: tf.Variable[];
  private readonly view: { threshold: number; squash: boolean };
  private readonly penalty: PenaltyPlan | null;
  private readonly controller: BalanceController | null;
  /** Index in D's layers of the feature-matching layer, or null without feature matching. */
  private readonly featureLayer: number | null;
  /** D updates so far in the run, for lazy regularization. */
  private discriminatorUpdateCount = 0;
  /** The unweighted penalty of the most recent D update that computed one. */
  private lastPenalty: tf.Scalar | null = null;
  private learningRates: { d: number; g: number };
  private pendingChanges: ControllerChange[] = [];

  constructor(config: RunConfig, dataShape: number[]) {
    this.config = config;
    this.dataShape = dataShape;
    const generatorSeed = drawSeed(config.seed, 0, SEED_STREAM.generatorWeights, 0);
    const buildG = () => buildGenerator(config.model, dataShape, generatorSeed, { spectralNorm: config.spectralNorm.generator });
    this.generator = buildG();
    this.discriminator = buildDiscriminator(config.model, dataShape, drawSeed(config.seed, 0, SEED_STREAM.discriminatorWeights, 0), {
      spectralNorm: config.spectralNorm.discriminator,
    });
    this.emaGenerator = config.emaGenerator.enabled ? new EmaGenerator(this.generator, buildG, config.emaGenerator.decay) : null;
    this.optimizerD = createOptimizer(config.optimizerD);
    this.optimizerG = createOptimizer(config.optimizerG);
    this.learningRates = { d: config.optimizerD.learningRate, g: config.optimizerG.learningRate };
    this.loss = getLoss(config.loss.kind, { realLabel: config.realLabel });
    this.view = outputView(config.loss.kind);
    this.penalty = resolvePenalty(config);
    this.controller = createController(config);
    this.featureLayer = config.featureMatching.weight > 0 ? resolveFeatureLayer(this.discriminator, config.featureMatching.layer) : null;
    // LayerVariable.read() returns the backing tf.Variable, which the optimizers update in place.
    this.varsD = this.discriminator.trainableWeights.map((w) => w.read() as tf.Variable);
    this.varsG = this.generator.trainableWeights.map((w) => w.read() as tf.Variable);
  }

  /** Draws a standard-normal latent batch, seeded by step and index. */
  latent(batchSize: number, step: number, index: number): tf.Tensor2D {
    const seed = drawSeed(this.config.seed, step, SEED_STREAM.latent, index);
    return tf.randomNormal([batchSize, this.config.model.latentSize], 0, 1, 'float32', seed) as tf.Tensor2D;
  }

  /** Returns the run's fixed latent batch for sample snapshots, the same at every snapshot. */
  fixedLatent(count: number): tf.Tensor2D {
    const seed = drawSeed(this.config.seed, 0, SEED_STREAM.fixedLatent, 0);
    return tf.randomNormal([count, this.config.model.latentSize], 0, 1, 'float32', seed) as tf.Tensor2D;
  }

  /** Returns the controller's knob changes reported since the last call and clears them. */
  takeControllerChanges(): ControllerChange[] {
    const changes = this.pendingChanges;
    this.pendingChanges = [];
    return changes;
  }

  private realBatch(source: RealBatchSource): tf.Tensor {
    const { batchSize } = this.config;
    return tf.tensor(source(batchSize), [batchSize, ...this.dataShape]);
  }

  private criticLogits(x: tf.Tensor): tf.Tensor {
    return this.discriminator.apply(x, { training: true }) as tf.Tensor;
  }

  /** D's input: `x` plus instance noise drawn for (step, draw), or `x` itself without noise. */
  private noisy(x: tf.Tensor, noise: NoiseStd, step: number, draw: number): tf.Tensor {
    if (noise === null) return x;
    return addInstanceNoise(x, noise, drawSeed(this.config.seed, step, SEED_STREAM.instanceNoise, draw));
  }

  private noiseStd(step: number): NoiseStd {
    const controlled = this.controller?.noiseStd() ?? null;
    if (controlled !== null) return controlled;

    const std = scheduledNoiseStd(this.config.instanceNoise, step, this.config.steps);
    return std > 0 ? std : null;
  }

  /** Sets both optimizers' learning rates for `step` from their schedules, when they changed. */
  private applyLearningRates(step: number): void {
    const { optimizerD, optimizerG, lrSchedule, steps } = this.config;
    const d = optimizerD.learningRate * learningRateMultiple(lrSchedule.discriminator, step, steps);
    const g = optimizerG.learningRate * learningRateMultiple(lrSchedule.generator, step, steps);
    if (d !== this.learningRates.d) setLearningRate(this.optimizerD, d);
    if (g !== this.learningRates.g) setLearningRate(this.optimizerG, g);
    this.learningRates = { d, g };
  }

  /**
   * Runs one step: the D updates (nD, or what the controller sets), then nG generator updates.
   * With `collect` set, returns the statistics of the last D and G update (this is the only
   * place that reads tensor values, so callers set it at logging steps only).
   */
  run(step: number, source: RealBatchSource, collect: boolean): StepStatistics | null {
    const { nD, nG } = this.config;
    const stats: Record<string, tf.Scalar> = {};
    this.applyLearningRates(step);
    const noise = this.noiseStd(step);
    const discriminatorUpdates = this.controller?.discriminatorUpdates(step, nD) ?? nD;

    for (let i = 0; i < discriminatorUpdates; i++) {
      this.discriminatorUpdate(step, i, source, noise, collect && i === discriminatorUpdates - 1 ? stats : null);
    }
    // A controller may skip D at a logging step; D's statistics are then measured without an update.
    if (collect && discriminatorUpdates === 0) this.measureDiscriminator(step, source, noise, stats);

    for (let i = 0; i < nG; i++) {
      this.generatorUpdate(step, discriminatorUpdates + i, source, noise, collect && i === nG - 1 ? stats : null);
    }
    this.controller?.endStep(step);

    if (!collect) return null;
    if (this.lastPenalty !== null) stats.gradientPenalty = tf.keep(this.lastPenalty.clone());
    this.controller?.keepStatistics(stats);
    const result = readStatistics(stats);

    result.lrD = this.learningRates.d;
    result.lrG = this.learningRates.g;
    if (typeof noise === 'number' || (noise === null && this.config.instanceNoise.std > 0)) result.instanceNoiseStd = noise ?? 0;
    if (this.controller) {
      const report = this.controller.report(step, result);
      Object.assign(result, report.metrics);
      this.pendingChanges.push(...report.changes);
    }
    return result;
  }

  private discriminatorUpdate(step: number, index: number, source: RealBatchSource, noise: NoiseStd, stats: Record<string, tf.Scalar> | null): void {
    const { batchSize } = this.config;
    // One power iteration per D update, outside the tape; every forward pass of D in this
    // update (real, generated, penalty) shares it.
    if (this.config.spectralNorm.discriminator) powerIterateModel(this.discriminator);

    const real = this.realBatch(source);
    const z = this.latent(batchSize, step, index);
    // G's forward pass runs outside the gradient tape: D's update needs no gradient through G.
    const fake = tf.tidy(() => this.generator.apply(z, { training: true }) as tf.Tensor);
    const realInput = this.noisy(real, noise, step, 2 * index);
    const fakeInput = this.noisy(fake, noise, step, 2 * index + 1);
    const penaltyNow = this.penalty !== null && appliesOnUpdate(this.penalty, this.discriminatorUpdateCount);
    this.discriminatorUpdateCount++;

    const { value, grads } = tf.variableGrads(() => {
      const realLogits = this.criticLogits(realInput);
      const fakeLogits = this.criticLogits(fakeInput);
      const terms = this.loss.discriminatorTerms(realLogits, fakeLogits);
      const fakeWeight = this.controller?.fakeTermWeight() ?? null;
      let loss = tf.add(terms.real, fakeWeight === null ? terms.fake : tf.mul(fakeWeight, terms.fake)) as tf.Scalar;

      if (penaltyNow && this.penalty !== null) {
        const penalty = this.penaltyValue(this.penalty, step, index, realInput, fakeInput);
        this.lastPenalty?.dispose();
        this.lastPenalty = tf.keep(penalty.clone());
        loss = tf.add(loss, weightedPenalty(this.penalty, penalty)) as tf.Scalar;
      }

      this.controller?.observeDiscriminator({ realLogits, fakeLogits, terms, loss: this.loss, threshold: this.view.threshold });
      if (stats) this.keepDiscriminatorStatistics(stats, realLogits, fakeLogits);
      return loss;
    }, this.varsD);

    if (stats) {
      stats.lossD = tf.keep(value.clone());
      stats.gradNormD = globalNorm(grads);
    }
    this.optimizerD.applyGradients(grads);
    if (this.config.loss.kind === 'wgan') this.clipDiscriminatorWeights();
    this.controller?.afterDiscriminatorUpdate();
    tf.dispose([value, grads, real, fake, z, realInput, fakeInput]);
  }

  /** Computes the unweighted penalty of one D update. Call it inside D's gradient tape. */
  private penaltyValue(plan: PenaltyPlan, step: number, index: number, real: tf.Tensor, fake: tf.Tensor): tf.Scalar {
    const critic = (x: tf.Tensor) => this.criticLogits(x);
    if (plan.kind === 'r1') return squaredGradientNorm(critic, real);
    if (plan.kind === 'r2') return squaredGradientNorm(critic, fake);

    const { batchSize } = this.config;
    const alphaShape = [batchSize, ...this.dataShape.map(() => 1)];
    const alpha = tf.randomUniform(alphaShape, 0, 1, 'float32', drawSeed(this.config.seed, step, SEED_STREAM.interpolation, index));
    return gradientPenalty(critic, real, fake, alpha);
  }

  /** WGAN weight clipping (Arjovsky et al. 2017): every D weight into [−c, c]. */
  private clipDiscriminatorWeights(): void {
    const c = this.config.wganClip;
    tf.tidy(() => {
      for (const variable of this.varsD) variable.assign(tf.clipByValue(variable, -c, c));
    });
  }

  /** D's statistics on fresh batches without an update, for logging steps on which D is skipped. */
  private measureDiscriminator(step: number, source: RealBatchSource, noise: NoiseStd, stats: Record<string, tf.Scalar>): void {
    tf.tidy(() => {
      const realInput = this.noisy(this.realBatch(source), noise, step, 0);
      const fake = this.generator.apply(this.latent(this.config.batchSize, step, 0), { training: true }) as tf.Tensor;
      const realLogits = this.criticLogits(realInput);
      const fakeLogits = this.criticLogits(this.noisy(fake, noise, step, 1));
      stats.lossD = tf.keep(this.loss.discriminator(realLogits, fakeLogits));
      this.keepDiscriminatorStatistics(stats, realLogits, fakeLogits);
    });
  }

  private generatorUpdate(step: number, draw: number, source: RealBatchSource, noise: NoiseStd, stats: Record<string, tf.Scalar> | null): void {
    if (this.config.spectralNorm.generator) powerIterateModel(this.generator);

    const { featureMatching } = this.config;
    const z = this.latent(this.config.batchSize, step, draw);
    const needsReal = this.loss.needsRealLogits || this.featureLayer !== null;
    const real = needsReal ? tf.tidy(() => this.noisy(this.realBatch(source), noise, step, 2 * draw)) : null;
    const reweighted = this.featureLayer !== null || featureMatching.adversarialWeight !== 1;

    const { value, grads } = tf.variableGrads(() => {
      const fake = this.noisy(this.generator.apply(z, { training: true }) as tf.Tensor, noise, step, 2 * draw + 1);
      const fakePass = this.discriminatorPass(fake);
      const realPass = real === null ? null : this.discriminatorPass(real);
      const adversarial = this.loss.generator(fakePass.logits, realPass?.logits);
      if (!reweighted) return adversarial;

      let loss = tf.mul(adversarial, featureMatching.adversarialWeight) as tf.Scalar;
      if (fakePass.features && realPass?.features) {
        const matching = featureMatchingLoss(realPass.features, fakePass.features);
        if (stats) stats.featureMatching = tf.keep(matching.clone());
        loss = tf.add(loss, tf.mul(matching, featureMatching.weight)) as tf.Scalar;
      }
      return loss;
    }, this.varsG);

    if (stats) {
      stats.lossG = tf.keep(value.clone());
      stats.gradNormG = globalNorm(grads);
    }
    this.optimizerG.applyGradients(grads);
    this.emaGenerator?.update();
    tf.dispose([value, grads, z]);
    if (real) real.dispose();
  }

  /** D's logits on `x` and, with feature matching, the chosen hidden layer's output in the same pass. */
  private discriminatorPass(x: tf.Tensor): { logits: tf.Tensor; features: tf.Tensor | null } {
    if (this.featureLayer === null) return { logits: this.criticLogits(x), features: null };

    const { output, features } = applyWithFeatures(this.discriminator, x, this.featureLayer, true);
    return { logits: output, features };
  }

  private keepDiscriminatorStatistics(stats: Record<string, tf.Scalar>, realLogits: tf.Tensor, fakeLogits: tf.Tensor): void {
    const { threshold, squash } = this.view;
    const kind = this.config.loss.kind;
    tf.tidy(() => {
      const realOut = squash ? tf.sigmoid(realLogits) : realLogits;
      const fakeOut = squash ? tf.sigmoid(fakeLogits) : fakeLogits;
      stats.dReal = tf.keep(tf.mean(realOut));
      stats.dFake = tf.keep(tf.mean(fakeOut));
      stats.accReal = tf.keep(tf.mean(tf.cast(tf.greater(realLogits, threshold), 'float32')));
      stats.accFake = tf.keep(tf.mean(tf.cast(tf.lessEqual(fakeLogits, threshold), 'float32')));
      // r_t of StyleGAN2-ADA: mean sign of D's output on reals, measured from the decision threshold.
      stats.rt = tf.keep(tf.mean(tf.sign(tf.sub(realLogits, threshold))));
      if (kind === 'minimax' || kind === 'ns') {
        stats.dSaturated = tf.keep(tf.mean(tf.cast(tf.less(fakeLogits, SATURATED_LOGIT), 'float32')));
      }
      if (kind === 'wgan' || kind === 'wgan-gp') {
        stats.wassersteinEstimate = tf.keep(tf.sub(tf.mean(realLogits), tf.mean(fakeLogits)));
      }
    });
  }

  /** Generates from `z` with G in inference mode and returns the flattened outputs. */
  generate(z: tf.Tensor2D): Float32Array {
    const output = tf.tidy(() => this.generator.apply(z, { training: false }) as tf.Tensor);
    const values = output.dataSync() as Float32Array;
    output.dispose();
    return values;
  }

  dispose(): void {
    this.generator.dispose();
    this.discriminator.dispose();
    this.emaGenerator?.dispose();
    this.optimizerD.dispose();
    this.optimizerG.dispose();
    this.controller?.dispose();
    this.lastPenalty?.dispose();
    this.lastPenalty = null;
  }
}

/** Reads every kept scalar in one pass and disposes them. */
function readStatistics(stats: Record<string, tf.Scalar>): StepStatistics {
  const names = Object.keys(stats);
  const stacked = tf.stack(names.map((name) => stats[name]));
  const values = stacked.dataSync();
  tf.dispose([stacked, ...Object.values(stats)]);

  const result: StepStatistics = {};
  names.forEach((name, i) => {
    result[name] = values[i];
  });
  if (result.gradNormD !== undefined && result.gradNormG !== undefined && result.gradNormD > 0) {
    result.gradNormRatio = result.gradNormG / result.gradNormD;
  }
  return result;
}
