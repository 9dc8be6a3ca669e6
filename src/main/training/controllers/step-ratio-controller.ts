// The step-ratio controller: adapts how often D is updated from D's accuracy. While the accuracy
// (mean of accReal and accFake) stays above `high` for `window` logging steps in a row, D is
// winning, so it gets fewer updates: nD − 1, and at nD 1 one update every 2nd, 3rd, ... step up to
// every `maxSkip`-th. While it stays below `low` for `window` logging steps, it goes the other
// way, up to nD = `maxND`. The logged `nD` is the mean D updates per step (0.5 = every other step).
import { ControllerBase, formatKnob, type ControllerReport } from './balance-controller';

export interface StepRatioSettings {
  high: number;
  low: number;
  window: number;
  maxND: number;
  maxSkip: number;
  /** The run's nD, where the controller starts. */
  initialND: number;
}

export class StepRatioController extends ControllerBase {
  readonly kind = 'step-ratio';
  private nD: number;
  /** One D update every `skip` steps while nD is 1; 1 updates D at every step. */
  private skip = 1;
  private highStreak = 0;
  private lowStreak = 0;

  constructor(private readonly settings: StepRatioSettings) {
    super();
    this.nD = settings.initialND;
  }

  /** D updates per step on average: nD, or 1/skip while D skips steps. */
  get effectiveND(): number {
    return this.skip > 1 ? 1 / this.skip : this.nD;
  }

  override discriminatorUpdates(step: number): number {
    if (this.skip > 1) return step % this.skip === 0 ? 1 : 0;
    return this.nD;
  }

  override report(step: number, stats: Record<string, number>): ControllerReport {
    const accuracy = (stats.accReal + stats.accFake) / 2;
    if (!Number.isFinite(accuracy)) return { metrics: { nD: this.effectiveND }, changes: [] };

    this.highStreak = accuracy > this.settings.high ? this.highStreak + 1 : 0;
    this.lowStreak = accuracy < this.settings.low ? this.lowStreak + 1 : 0;
    const from = this.effectiveND;
    let reason: string | null = null;

    if (this.highStreak >= this.settings.window && this.weaken()) {
      reason = `D's accuracy stayed above ${this.settings.high} for ${logSteps(this.settings.window)} (last ${formatKnob(accuracy)}): D is winning`;
    } else if (this.lowStreak >= this.settings.window && this.strengthen()) {
      reason = `D's accuracy stayed below ${this.settings.low} for ${logSteps(this.settings.window)} (last ${formatKnob(accuracy)}): D is losing`;
    }

    const to = this.effectiveND;
    if (reason === null) return { metrics: { nD: to }, changes: [] };

    this.highStreak = 0;
    this.lowStreak = 0;
    const message = `The step-ratio controller ${to < from ? 'lowered' : 'raised'} the D updates per step from ${formatKnob(from)} to ${formatKnob(to)} at step ${step}, because ${reason}.`;
    return {
      metrics: { nD: to },
      changes: [{ message, data: { controller: this.kind, knob: 'nD', from, to, reason, accuracy, skip: this.skip } }],
    };
  }

  /** Moves one rung down; returns false at the bottom. */
  private weaken(): boolean {
    if (this.nD > 1) {
      this.nD--;
      return true;
    }
    if (this.skip < this.settings.maxSkip) {
      this.skip++;
      return true;
    }
    return false;
  }

  /** Moves one rung up; returns false at the top. */
  private strengthen(): boolean {
    if (this.skip > 1) {
      this.skip--;
      return true;
    }
    if (this.nD < this.settings.maxND) {
      this.nD++;
      return true;
    }
    return false;
  }
}

function logSteps(count: number): string {
  return count === 1 ? '1 logging step' : `${count} logging steps`;
}
