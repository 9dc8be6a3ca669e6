// The live mode-collapse alarm: compares each evaluation's indicators with the run's history
// and reports, with the numbers, when the generator appears to be collapsing.

/** Coverage has fallen when it is this share of the attainable modes or classes (at least one)
 * below its running maximum: 2 of 8 modes, 2 of 10 classes, 5 of 25 modes. A drop of one mode
 * is common between two evaluations of a healthy ring8 run, so it raises nothing. */
export const COVERAGE_DROP_SHARE = 0.2;
/** Diversity has dropped sharply when it falls below this fraction of its running maximum. */
export const DIVERSITY_DROP_RATIO = 0.5;
/** The histogram has concentrated when one bin contains at least this share of the samples ... */
export const CONCENTRATION_SHARE = 0.5;
/** ... and at least this many times the share the real data puts there. */
export const CONCENTRATION_OVER_REAL = 3;
/** Histograms with fewer samples (e.g. a mixture with almost no high-quality points) are too
 * noisy to judge concentration on. */
export const MIN_HISTOGRAM_SAMPLES = 20;

export type CollapseReason = 'coverage-drop' | 'diversity-drop' | 'histogram-concentration';

/** One evaluation's indicators, as the alarm reads them. Absent values are not judged. */
export interface CollapseObservation {
  step: number;
  /** Kind of histogram bin: mixture modes or classifier classes. */
  unit: 'modes' | 'classes';
  covered?: number;
  coverageTotal?: number;
  diversity?: number;
  /** Generated samples per bin (high-quality points per mode, or images per class). */
  histogram?: readonly number[];
  /** Real share per bin, the same length as `histogram`. */
  realShares?: readonly number[];
}

export interface CollapseFinding {
  step: number;
  reasons: CollapseReason[];
  /** One sentence per reason, with the numbers. */
  message: string;
  /** The numbers behind each reason, for the event's data. */
  data: Record<string, unknown>;
}

export type AlarmChange = { kind: 'raised'; finding: CollapseFinding } | { kind: 'cleared'; step: number } | { kind: 'unchanged'; active: boolean };

/**
 * Tracks the running maxima of coverage and diversity over a run's evaluations. `observe`
 * reports 'raised' when a reason appears that was not active at the previous evaluation,
 * 'cleared' when no reason remains after some were active, and 'unchanged' otherwise, so a
 * persisting collapse raises one event instead of one per evaluation.
 */
export class CollapseAlarm {
  private maxCovered = -Infinity;
  private maxDiversity = -Infinity;
  private active = new Set<CollapseReason>();

  observe(observation: CollapseObservation): AlarmChange {
    const sentences: string[] = [];
    const data: Record<string, unknown> = { unit: observation.unit };
    const reasons: CollapseReason[] = [];
    const { covered, coverageTotal, diversity, histogram, realShares, unit } = observation;

    if (covered !== undefined && coverageTotal !== undefined) {
      const drop = Math.max(1, Math.ceil(COVERAGE_DROP_SHARE * coverageTotal));
      if (covered <= this.maxCovered - drop) {
        reasons.push('coverage-drop');
        sentences.push(`${unit} covered fell to ${covered} of ${coverageTotal} from a maximum of ${this.maxCovered}`);
        Object.assign(data, { covered, coverageTotal, maxCovered: this.maxCovered });
      }
      this.maxCovered = Math.max(this.maxCovered, covered);
    }

    if (diversity !== undefined && Number.isFinite(diversity)) {
      if (diversity < DIVERSITY_DROP_RATIO * this.maxDiversity) {
        reasons.push('diversity-drop');
        sentences.push(`diversity dropped to ${diversity.toFixed(3)} from a maximum of ${this.maxDiversity.toFixed(3)} (below ${DIVERSITY_DROP_RATIO} of it)`);
        Object.assign(data, { diversity, maxDiversity: this.maxDiversity });
      }
      this.maxDiversity = Math.max(this.maxDiversity, diversity);
    }

    const concentration = findConcentration(histogram, realShares);
    if (concentration !== null) {
      reasons.push('histogram-concentration');
      const bin = unit === 'modes' ? `mode ${concentration.bin}` : `class ${concentration.bin}`;
      sentences.push(
        `${(concentration.share * 100).toFixed(0)}% of generated samples fall in ${bin}, whose real share is ${(concentration.realShare * 100).toFixed(0)}%`,
      );
      Object.assign(data, { concentratedBin: concentration.bin, binShare: concentration.share, realBinShare: concentration.realShare });
    }

    return this.update(observation.step, reasons, sentences, data);
  }

  private update(step: number, reasons: CollapseReason[], sentences: string[], data: Record<string, unknown>): AlarmChange {
    const wasActive = this.active.size > 0;
    const isNew = reasons.some((reason) => !this.active.has(reason));
    this.active = new Set(reasons);

    if (isNew) {
      const message = `Possible mode collapse at step ${step}: ${sentences.join('; ')}.`;
      return { kind: 'raised', finding: { step, reasons, message, data: { reasons, ...data } } };
    }
    if (wasActive && reasons.length === 0) return { kind: 'cleared', step };
    return { kind: 'unchanged', active: reasons.length > 0 };
  }
}

/** Returns the largest bin when it contains ≥ CONCENTRATION_SHARE of the samples and ≥ CONCENTRATION_OVER_REAL times its real share. */
function findConcentration(histogram?: readonly number[], realShares?: readonly number[]): { bin: number; share: number; realShare: number } | null {
  if (histogram === undefined || realShares === undefined) return null;

  const total = histogram.reduce((sum, count) => sum + count, 0);
  if (total < MIN_HISTOGRAM_SAMPLES) return null;

  let bin = 0;
  for (let k = 1; k < histogram.length; k++) if (histogram[k] > histogram[bin]) bin = k;
  const share = histogram[bin] / total;
  const realShare = realShares[bin];
  return share >= CONCENTRATION_SHARE && share >= CONCENTRATION_OVER_REAL * realShare ? { bin, share, realShare } : null;
}
