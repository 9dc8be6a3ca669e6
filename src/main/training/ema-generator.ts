// The EMA generator (Karras et al. 2018, "Progressive Growing of GANs"; Yazıcı et al. 2019, "The
// Unusual Effectiveness of Averaging in GAN Training"): a copy of G whose weights follow an
// exponential moving average of G's weights, sampled beside G. It smooths out the oscillation of
// G's weights around an equilibrium, which often gives better samples than G itself.
import * as tf from '@tensorflow/tfjs';

export class EmaGenerator {
  readonly model: tf.LayersModel;
  private readonly pairs: { average: tf.LayerVariable; source: tf.LayerVariable }[];

  /**
   * Builds the copy with `build` (which must build the same architecture as `source`) and starts
   * it from `source`'s current weights. `decay` is β in w_ema ← β·w_ema + (1 − β)·w.
   */
  constructor(
    private readonly source: tf.LayersModel,
    build: () => tf.LayersModel,
    private readonly decay: number,
  ) {
    if (!(decay >= 0 && decay < 1)) {
      throw new Error(`Invalid EMA decay ${decay}: expected a number from 0 to below 1, e.g. 0.999.`);
    }

    this.model = build();
    const averages = this.model.weights;
    const sources = source.weights;
    if (averages.length !== sources.length || averages.some((weight, i) => weight.shape.join(',') !== sources[i].shape.join(','))) {
      this.model.dispose();
      throw new Error('The EMA generator was built with another architecture than G; build it from the same model config.');
    }
    this.pairs = averages.map((average, i) => ({ average, source: sources[i] }));
    this.copyAll();
  }

  /** Moves each trainable weight toward G's by (1 − β) and copies the non-trainable ones (batch-norm
   * moving statistics, spectral-norm vectors) as they are. Call it after each G update. */
  update(): void {
    tf.tidy(() => {
      for (const { average, source } of this.pairs) {
        const next = source.trainable ? tf.add(tf.mul(average.read(), this.decay), tf.mul(source.read(), 1 - this.decay)) : source.read();
        average.write(next);
      }
    });
  }

  /** Generates from `z` in inference mode and returns the flattened outputs. */
  generate(z: tf.Tensor2D): Float32Array {
    const output = tf.tidy(() => this.model.apply(z, { training: false }) as tf.Tensor);
    const values = output.dataSync() as Float32Array;
    output.dispose();
    return values;
  }

  dispose(): void {
    this.model.dispose();
  }

  private copyAll(): void {
    tf.tidy(() => {
      for (const { average, source } of this.pairs) average.write(source.read());
    });
  }
}
