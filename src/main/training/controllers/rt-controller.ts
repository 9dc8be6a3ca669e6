// The r_t controller in the style of StyleGAN2-ADA (Karras et al. 2020, "Training Generative
// Adversarial Networks with Limited Data"). r_t = E[sign(D(x_real))] measures how sure D is about
// the real examples (1: D calls every one real). Every `interval` steps, r_t averaged over the D
// updates since the last adjustment moves the instance-noise std p by ±interval/rampSteps: up
// while r_t > target, down otherwise, never below 0. ADA drives its augmentation probability the
// same way; noise on D's inputs takes its place here.
import * as tf from '@tensorflow/tfjs';

import { ControllerBase, formatKnob, type ControllerChange, type ControllerReport, type DiscriminatorObservation } from './balance-controller';

/** Smallest change of p, since the last event, that is reported as a new event. */
const REPORT_DELTA = 0.02;

export interface RtSettings {
  target: number;
  interval: number;
  rampSteps: number;
  /** p at step 1: the run's instance-noise std. */
  initialStd: number;
}

export class RtController extends ControllerBase {
  readonly kind = 'rt';
  private readonly std: tf.Variable<tf.Rank.R0>;
  private readonly signSum: tf.Variable<tf.Rank.R0>;
  private readonly lastRt: tf.Variable<tf.Rank.R0>;
  private updatesSinceAdjustment = 0;
  private pendingSign: tf.Scalar | null = null;
  private reportedStd: number;

  constructor(private readonly settings: RtSettings) {
    super();
    // tf.variable keeps its initial tensor alive beside itself; tidy releases that tensor.
    this.std = tf.tidy(() => tf.variable(tf.scalar(settings.initialStd), false));
    this.signSum = tf.tidy(() => tf.variable(tf.scalar(0), false));
    this.lastRt = tf.tidy(() => tf.variable(tf.scalar(0), false));
    this.reportedStd = settings.initialStd;
  }

  override noiseStd(): tf.Scalar {
    return this.std;
  }

  override observeDiscriminator({ realLogits, threshold }: DiscriminatorObservation): void {
    this.pendingSign?.dispose();
    this.pendingSign = tf.keep(tf.tidy(() => tf.mean(tf.sign(tf.sub(realLogits, threshold))) as tf.Scalar));
  }

  override afterDiscriminatorUpdate(): void {
    if (this.pendingSign === null) return;

    const sign = this.pendingSign;
    tf.tidy(() => {
      this.signSum.assign(tf.add(this.signSum, sign) as tf.Scalar);
    });
    sign.dispose();
    this.pendingSign = null;
    this.updatesSinceAdjustment++;
  }

  /** Adjusts p every `interval` steps on the device: p ← max(0, p ± interval/rampSteps). */
  override endStep(step: number): void {
    if (step % this.settings.interval !== 0 || this.updatesSinceAdjustment === 0) return;

    const change = this.settings.interval / this.settings.rampSteps;
    const count = this.updatesSinceAdjustment;
    tf.tidy(() => {
      const rt = tf.div(this.signSum, count) as tf.Scalar;
      const direction = tf.where(tf.greater(rt, this.settings.target), tf.scalar(1), tf.scalar(-1));
      this.std.assign(tf.relu(tf.add(this.std, tf.mul(direction, change))) as tf.Scalar);
      this.lastRt.assign(rt);
      this.signSum.assign(tf.scalar(0));
    });
    this.updatesSinceAdjustment = 0;
  }

  override keepStatistics(stats: Record<string, tf.Scalar>): void {
    stats.instanceNoiseStd = tf.keep(this.std.clone());
    stats.rtAverage = tf.keep(this.lastRt.clone());
  }

  override report(step: number, stats: Record<string, number>): ControllerReport {
    const std = stats.instanceNoiseStd;
    const rt = stats.rtAverage;
    const changes: ControllerChange[] = [];
    if (Math.abs(std - this.reportedStd) >= REPORT_DELTA) {
      const rising = std > this.reportedStd;
      const reason = rising
        ? `r_t, the mean sign of D's output on real examples, was ${formatKnob(rt)}, above the target ${this.settings.target}: D is too sure about real examples`
        : `r_t was ${formatKnob(rt)}, at or below the target ${this.settings.target}: D is no longer too sure about real examples`;
      changes.push({
        message: `The r_t controller ${rising ? 'raised' : 'lowered'} the instance-noise std from ${formatKnob(this.reportedStd)} to ${formatKnob(std)} by step ${step}, because ${reason}.`,
        data: { controller: this.kind, knob: 'instanceNoiseStd', from: this.reportedStd, to: std, reason, rt, target: this.settings.target },
      });
      this.reportedStd = std;
    }
    return { metrics: {}, changes };
  }

  override dispose(): void {
    tf.dispose([this.std, this.signSum, this.lastRt]);
    this.pendingSign?.dispose();
    this.pendingSign = null;
  }
}
