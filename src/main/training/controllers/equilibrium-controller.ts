// Equilibrium control in the style of BEGAN (Berthelot et al. 2017, "BEGAN: Boundary Equilibrium
// Generative Adversarial Networks"), adapted to any loss family. BEGAN's D minimizes
// L(x) − k·L(G(z)) with its autoencoder loss L and updates k ← clip(k + λ_k(γ·L(x) − L(G(z))), 0, 1).
// Here L is D's real-side loss term: L_real = that term on the real batch and L_G = the same
// term on the generated batch (large while D rejects generated examples). D's loss becomes
// L_real + k·(its fake term), so k weakens D's push against generated examples while D is
// ahead and restores it while G is ahead.
//
// NOTE: with the logistic losses, L_real and L_G both approach 0 when D's logits grow without
// bound on every input. k then barely moves although D no longer separates the batches, so pair
// this controller with a gradient penalty or spectral norm, which keep the logits bounded.
import * as tf from '@tensorflow/tfjs';

import { ControllerBase, formatKnob, type ControllerChange, type ControllerReport, type DiscriminatorObservation } from './balance-controller';

/** Smallest change of k, since the last event, that is reported as a new event. */
const REPORT_DELTA = 0.05;

export interface EquilibriumSettings {
  gamma: number;
  lambdaK: number;
  initialK: number;
}

export class EquilibriumController extends ControllerBase {
  readonly kind = 'equilibrium';
  private readonly k: tf.Variable<tf.Rank.R0>;
  private pendingGap: tf.Scalar | null = null;
  private lastGap: tf.Scalar;
  private reportedK: number;

  constructor(private readonly settings: EquilibriumSettings) {
    super();
    // tf.variable keeps its initial tensor alive beside itself; tidy releases that tensor.
    this.k = tf.tidy(() => tf.variable(tf.scalar(settings.initialK), false));
    this.lastGap = tf.keep(tf.scalar(0));
    this.reportedK = settings.initialK;
  }

  override fakeTermWeight(): tf.Scalar {
    return this.k;
  }

  /** Keeps γ·L_real − L_G of this update. */
  override observeDiscriminator({ realLogits, fakeLogits, terms, loss }: DiscriminatorObservation): void {
    this.pendingGap?.dispose();
    this.pendingGap = tf.keep(
      tf.tidy(() => {
        // Swapping the arguments applies D's real-side term to the generated batch.
        const swapped = loss.discriminatorTerms(fakeLogits, realLogits);
        swapped.fake.dispose();
        return tf.sub(tf.mul(this.settings.gamma, terms.real), swapped.real) as tf.Scalar;
      }),
    );
  }

  /** k ← clip(k + λ_k·gap, 0, 1), on the device. */
  override afterDiscriminatorUpdate(): void {
    if (this.pendingGap === null) return;

    const gap = this.pendingGap;
    tf.tidy(() => {
      this.k.assign(tf.clipByValue(tf.add(this.k, tf.mul(this.settings.lambdaK, gap)), 0, 1) as tf.Scalar);
    });
    this.lastGap.dispose();
    this.lastGap = gap;
    this.pendingGap = null;
  }

  override keepStatistics(stats: Record<string, tf.Scalar>): void {
    stats.k = tf.keep(this.k.clone());
    stats.equilibriumGap = tf.keep(this.lastGap.clone());
  }

  override report(step: number, stats: Record<string, number>): ControllerReport {
    const k = stats.k;
    const changes: ControllerChange[] = [];
    if (Math.abs(k - this.reportedK) >= REPORT_DELTA) {
      const rising = k > this.reportedK;
      const reason = rising
        ? 'γ·L_real exceeded L_G, D\'s real-side loss on generated examples: G is catching up, so D\'s fake term gets more weight'
        : 'L_G, D\'s real-side loss on generated examples, exceeded γ·L_real: D rejects generated examples easily, so its fake term gets less weight';
      changes.push({
        message: `Equilibrium control ${rising ? 'raised' : 'lowered'} k from ${formatKnob(this.reportedK)} to ${formatKnob(k)} by step ${step}, because ${reason}.`,
        data: { controller: this.kind, knob: 'k', from: this.reportedK, to: k, reason, gap: stats.equilibriumGap, gamma: this.settings.gamma },
      });
      this.reportedK = k;
    }
    return { metrics: {}, changes };
  }

  override dispose(): void {
    tf.dispose([this.k, this.lastGap]);
    this.pendingGap?.dispose();
    this.pendingGap = null;
  }
}
