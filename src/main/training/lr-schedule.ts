// Learning-rate schedules: the factor by which a network's configured learning rate is
// multiplied at each step of the run.
import type { LrScheduleConfig } from '../../shared/config';

/**
 * Returns the learning-rate multiple at `step` (1-based) of a run of `totalSteps` steps. With
 * t = (step − 1) / (totalSteps − 1), so t is 0 at the first step and 1 at the last:
 * constant 1; linear 1 + (f − 1)·t; cosine f + (1 − f)·½(1 + cos πt) (Loshchilov & Hutter 2017,
 * without restarts); step γ^⌊(step − 1) / stepSize⌋. f is `finalFraction`.
 */
export function learningRateMultiple(schedule: LrScheduleConfig, step: number, totalSteps: number): number {
  if (!Number.isInteger(step) || step < 1) {
    throw new Error(`Invalid step ${step} for the learning-rate schedule: expected an integer from 1.`);
  }

  const t = totalSteps > 1 ? Math.min(1, (step - 1) / (totalSteps - 1)) : 1;
  switch (schedule.kind) {
    case 'constant':
      return 1;
    case 'linear':
      return 1 + (schedule.finalFraction - 1) * t;
    case 'cosine':
      return schedule.finalFraction + (1 - schedule.finalFraction) * 0.5 * (1 + Math.cos(Math.PI * t));
    case 'step':
      return schedule.gamma ** Math.floor((step - 1) / schedule.stepSize);
  }
}
