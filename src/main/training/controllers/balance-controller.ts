// The contract between the training step and an adaptive balancing controller. A controller
// turns one knob (D's loss weighting, the instance-noise std, or nD) from what it observes.
// Tensor work stays on the device between logging steps: controllers keep scalars there and
// read values only in `report`, which the step calls at logging steps with the batched read.
import type * as tf from '@tensorflow/tfjs';

import type { ControllerKind } from '../../../shared/config';
import type { DiscriminatorTerms, GanLoss } from '../losses';

export type ActiveControllerKind = Exclude<ControllerKind, 'none'>;

/** One change of a controller's knob, sent to the host as a 'controller' event. */
export interface ControllerChange {
  message: string;
  data: { controller: ActiveControllerKind; knob: string; from: number; to: number; reason: string } & Record<string, unknown>;
}

/** The tensors of one D update that a controller may read, inside the gradient tape. */
export interface DiscriminatorObservation {
  realLogits: tf.Tensor;
  fakeLogits: tf.Tensor;
  terms: DiscriminatorTerms;
  loss: GanLoss;
  /** The raw output at which D's decision flips from "generated" to "real". */
  threshold: number;
}

export interface ControllerReport {
  /** Metrics to log at this logging step, beside the step's own. */
  metrics: Record<string, number>;
  changes: ControllerChange[];
}

export interface BalanceController {
  readonly kind: ActiveControllerKind;
  /** D updates to run at `step`: `configured` (the run's nD) unless the controller changes it; 0 skips D. */
  discriminatorUpdates(step: number, configured: number): number;
  /** The weight of the fake term of D's loss, or null for 1. */
  fakeTermWeight(): tf.Scalar | null;
  /** The instance-noise std this controller sets, or null when it leaves the noise to its schedule. */
  noiseStd(): tf.Scalar | null;
  /** Called inside the tape of each D update; keeps what it needs as tensors, reads nothing. */
  observeDiscriminator(observation: DiscriminatorObservation): void;
  /** Called after each D update, outside the tape. */
  afterDiscriminatorUpdate(): void;
  /** Called after the last G update of each step. */
  endStep(step: number): void;
  /** At a logging step: adds the scalars to read in the step's one batched read. */
  keepStatistics(stats: Record<string, tf.Scalar>): void;
  /** At a logging step, with the values read: returns metrics and knob changes. */
  report(step: number, stats: Record<string, number>): ControllerReport;
  dispose(): void;
}

/** Hooks that do nothing, for controllers to override the ones they use. */
export abstract class ControllerBase implements BalanceController {
  abstract readonly kind: ActiveControllerKind;

  discriminatorUpdates(_step: number, configured: number): number {
    return configured;
  }

  fakeTermWeight(): tf.Scalar | null {
    return null;
  }

  noiseStd(): tf.Scalar | null {
    return null;
  }

  observeDiscriminator(_observation: DiscriminatorObservation): void {}

  afterDiscriminatorUpdate(): void {}

  endStep(_step: number): void {}

  keepStatistics(_stats: Record<string, tf.Scalar>): void {}

  abstract report(step: number, stats: Record<string, number>): ControllerReport;

  dispose(): void {}
}

/** Rounds a knob value for messages, so that float32 noise does not show. */
export function formatKnob(value: number): string {
  return Number(value.toPrecision(4)).toString();
}
