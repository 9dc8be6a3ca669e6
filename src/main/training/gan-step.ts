// One GAN training step (nD discriminator updates, then nG generator updates) on tf.js models.
// The trainer and the benchmark share it, so the benchmark measures the code that trains.
import * as tf from '@tensorflow/tfjs';
import type { LossKind, RunConfig } from '../../shared/config';
import { buildDiscriminator, buildGenerator } from './models';
import { getLoss, gradientPenalty } from './losses';
import { createOptimizer } from './optimizers';

/** Supplies one flattened real batch (batchSize × prod(dataShape) floats). */
export type RealBatchSource = (batchSize: number) => Float32Array;

/** Scalars read at a logging step; every value is a plain number. */
export type StepStatistics = Record<string, number>;

/** Offsets that separate the random streams drawn from one run seed. */
const SEED_STREAM = { generatorWeights: 1, discriminatorWeights: 2, fixedLatent: 3, latent: 4, interpolation: 5 } as const;

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

/** How a loss's discriminator output maps to "D says real": the threshold for accuracy and
 * whether mean D(x) is reported as σ(logit) or as the raw output. */
function outputView(loss: LossKind): { threshold: number; squash: boolean } {
  // LSGAN regresses D's raw output onto the targets 1 (real) and 0 (fake), so its decision
  // boundary is 0.5 on the raw output. WGAN-GP's critic is unbounded; its raw mean is what the
  // Wasserstein estimate uses. The logistic losses and hinge decide at logit 0.
  if (loss === 'lsgan') return { threshold: 0.5, squash: false };
  if (loss === 'wgan-gp') return { threshold: 0, squash: false };
  return { threshold: 0, squash: true };
}

export class GanStep {
  readonly generator: tf.LayersModel;
  readonly discriminator: tf.LayersModel;
  private readonly optimizerD: tf.Optimizer;
  private readonly optimizerG: tf.Optimizer;
  private readonly loss: ReturnType<typeof getLoss>;
  private readonly dataShape: number[];
  private readonly config: RunConfig;
  private readonly varsD: tf.Variable[];
  private readonly varsG: tf.Variable[];

  constructor(config: RunConfig, dataShape: number[]) {
    this.config = config;
    this.dataShape = dataShape;
    this.generator = buildGenerator(config.model, dataShape, drawSeed(config.seed, 0, SEED_STREAM.generatorWeights, 0));
    this.discriminator = buildDiscriminator(config.model, dataShape, drawSeed(config.seed, 0, SEED_STREAM.discriminatorWeights, 0));
    this.optimizerD = createOptimizer(config.optimizerD);
    this.optimizerG = createOptimizer(config.optimizerG);
    this.loss = getLoss(config.loss.kind);
    // LayerVariable.read() returns the backing tf.Variable, which the optimizers update in place.
    this.varsD = this.discriminator.trainableWeights.map((w) => w.read() as tf.Variable);
    this.varsG = this.generator.trainableWeights.map((w) => w.read() as tf.Variable);
  }

  /** A latent batch for one draw: standard normal, seeded by step and index. */
  latent(batchSize: number, step: number, index: number): tf.Tensor2D {
    const seed = drawSeed(this.config.seed, step, SEED_STREAM.latent, index);
    return tf.randomNormal([batchSize, this.config.model.latentSize], 0, 1, 'float32', seed) as tf.Tensor2D;
  }

  /** The run's fixed latent batch for sample snapshots, the same at every snapshot. */
  fixedLatent(count: number): tf.Tensor2D {
    const seed = drawSeed(this.config.seed, 0, SEED_STREAM.fixedLatent, 0);
    return tf.randomNormal([count, this.config.model.latentSize], 0, 1, 'float32', seed) as tf.Tensor2D;
  }

  private realBatch(source: RealBatchSource): tf.Tensor {
    const { batchSize } = this.config;
    return tf.tensor(source(batchSize), [batchSize, ...this.dataShape]);
  }

  private criticLogits(x: tf.Tensor): tf.Tensor {
    return this.discriminator.apply(x, { training: true }) as tf.Tensor;
  }

  /**
   * Runs one step: nD discriminator updates, then nG generator updates.
   * With `collect` set, returns the statistics of the last D and G update (this is the only
   * place that reads tensor values, so callers set it at logging steps only).
   */
  run(step: number, source: RealBatchSource, collect: boolean): StepStatistics | null {
    const { nD, nG, batchSize } = this.config;
    const stats: Record<string, tf.Scalar> = {};
    const view = outputView(this.config.loss.kind);

    for (let i = 0; i < nD; i++) {
      const isLast = collect && i === nD - 1;
      const real = this.realBatch(source);
      const z = this.latent(batchSize, step, i);
      // G's forward pass runs outside the gradient tape: D's update needs no gradient through G.
      const fake = tf.tidy(() => this.generator.apply(z, { training: true }) as tf.Tensor);

      const { value, grads } = tf.variableGrads(() => {
        const realLogits = this.criticLogits(real);
        const fakeLogits = this.criticLogits(fake);
        let loss = this.loss.discriminator(realLogits, fakeLogits);

        if (this.config.loss.kind === 'wgan-gp') {
          const alphaShape = [batchSize, ...this.dataShape.map(() => 1)];
          const alphaSeed = drawSeed(this.config.seed, step, SEED_STREAM.interpolation, i);
          const alpha = tf.randomUniform(alphaShape, 0, 1, 'float32', alphaSeed);
          const penalty = gradientPenalty((x) => this.criticLogits(x), real, fake, alpha);
          if (isLast) stats.gradientPenalty = tf.keep(penalty.clone());
          loss = tf.add(loss, tf.mul(penalty, this.config.loss.gradientPenaltyWeight)) as tf.Scalar;
        }

        if (isLast) this.keepDiscriminatorStatistics(stats, realLogits, fakeLogits, view);
        return loss;
      }, this.varsD);

      if (isLast) {
        stats.lossD = tf.keep(value.clone());
        stats.gradNormD = globalNorm(grads);
      }
      this.optimizerD.applyGradients(grads);
      tf.dispose([value, grads, real, fake, z]);
    }

    for (let i = 0; i < nG; i++) {
      const isLast = collect && i === nG - 1;
      const z = this.latent(batchSize, step, nD + i);

      const { value, grads } = tf.variableGrads(() => {
        const fake = this.generator.apply(z, { training: true }) as tf.Tensor;
        return this.loss.generator(this.criticLogits(fake));
      }, this.varsG);

      if (isLast) {
        stats.lossG = tf.keep(value.clone());
        stats.gradNormG = globalNorm(grads);
      }
      this.optimizerG.applyGradients(grads);
      tf.dispose([value, grads, z]);
    }

    if (!collect) return null;
    return readStatistics(stats);
  }

  private keepDiscriminatorStatistics(
    stats: Record<string, tf.Scalar>,
    realLogits: tf.Tensor,
    fakeLogits: tf.Tensor,
    view: { threshold: number; squash: boolean },
  ): void {
    tf.tidy(() => {
      const realOut = view.squash ? tf.sigmoid(realLogits) : realLogits;
      const fakeOut = view.squash ? tf.sigmoid(fakeLogits) : fakeLogits;
      stats.dReal = tf.keep(tf.mean(realOut));
      stats.dFake = tf.keep(tf.mean(fakeOut));
      stats.accReal = tf.keep(tf.mean(tf.cast(tf.greater(realLogits, view.threshold), 'float32')));
      stats.accFake = tf.keep(tf.mean(tf.cast(tf.lessEqual(fakeLogits, view.threshold), 'float32')));
      if (this.config.loss.kind === 'wgan-gp') {
        stats.wassersteinEstimate = tf.keep(tf.sub(tf.mean(realLogits), tf.mean(fakeLogits)));
      }
    });
  }

  /** Generates from `z` in inference mode and returns the flattened outputs. */
  generate(z: tf.Tensor2D): Float32Array {
    const output = tf.tidy(() => this.generator.apply(z, { training: false }) as tf.Tensor);
    const values = output.dataSync() as Float32Array;
    output.dispose();
    return values;
  }

  dispose(): void {
    this.generator.dispose();
    this.discriminator.dispose();
    this.optimizerD.dispose();
    this.optimizerG.dispose();
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
