// The balance verdict: which side of the GAN is winning at a logged step, the numbers behind
// that call and what to try. Pure types and helpers shared by the main process and the renderer.
import type { RunEvent } from './run';

/**
 * Verdict ids, in the order a renderer should list them in a legend.
 *
 * - `warming-up`: fewer logged steps than the engine needs for a window; no call yet.
 * - `balanced`: no imbalance found in the window.
 * - `d-dominating`: D separates real from generated examples with confidence.
 * - `g-dominating`: D rates generated examples at or above real ones.
 * - `vanishing-g-gradient`: D dominates and G's gradient has all but vanished.
 * - `oscillating`: the losses swing up and down with a large amplitude.
 * - `diverged`: a logged statistic became NaN or infinite; the run stops.
 * - `mode-collapse`: raised by the mode-collapse indicators, not by the balance statistics.
 */
export const VERDICT_IDS = ['warming-up', 'balanced', 'd-dominating', 'g-dominating', 'vanishing-g-gradient', 'oscillating', 'diverged', 'mode-collapse'] as const;
export type VerdictId = (typeof VERDICT_IDS)[number];

/**
 * Name of the metric series that stores one verdict per logged step, for a timeline strip.
 * Its value is the verdict's code in `VERDICT_CODES`. The series is logged with the balance
 * statistics, so it is not a quantity to draw as a line.
 */
export const VERDICT_CODE_METRIC = 'verdictCode';

/** The numeric code of each verdict in the `verdictCode` series. Codes never change meaning,
 * because stored runs keep them; a new verdict gets the next free code. */
export const VERDICT_CODES: Readonly<Record<VerdictId, number>> = {
  'warming-up': 0,
  balanced: 1,
  'd-dominating': 2,
  'g-dominating': 3,
  'vanishing-g-gradient': 4,
  oscillating: 5,
  diverged: 6,
  'mode-collapse': 7,
};

/** Returns the verdict id of a `verdictCode` value, or null for a code no verdict has. */
export function verdictIdFromCode(code: number): VerdictId | null {
  const match = VERDICT_IDS.find((id) => VERDICT_CODES[id] === code);
  return match ?? null;
}

/**
 * The numbers behind a verdict: `window` is the first and last logged step the engine read,
 * and every other entry is a window statistic under its metric name (e.g. `accReal: 0.99`,
 * the mean over the window) or a derived figure the message quotes (e.g. `gradNormGRatioToEarly`).
 * A `diverged` verdict names the statistic in `term` and its value as text in `value`, because
 * JSON has no NaN or Infinity.
 */
export interface VerdictEvidence {
  window: [number, number];
  [statistic: string]: number | string | [number, number];
}

/** Kinds of remedy a suggestion proposes, so a renderer can group them or offer a button. */
export const SUGGESTION_IDS = [
  'lower-lr-d',
  'raise-lr-d',
  'lower-lr-g',
  'lower-learning-rates',
  'lower-n-d',
  'raise-n-d',
  'lower-n-g',
  'switch-to-ns',
  'switch-to-wgan-gp',
  'add-gradient-penalty',
  'strengthen-gradient-penalty',
  'smooth-real-labels',
  'add-instance-noise',
  'add-spectral-norm',
  'lower-beta1',
  'raise-batch-size',
] as const;
export type SuggestionId = (typeof SUGGESTION_IDS)[number];

/** One concrete thing to try, worded for the run it was made for. */
export interface VerdictSuggestion {
  id: SuggestionId;
  /** A plain sentence with the current and proposed values, e.g. "Lower D's learning rate from 1e-3 to 5e-4." */
  text: string;
  /** The config fields to change, as a partial run config input to merge into the run's config;
   * absent when the remedy is not a config change. */
  patch?: Record<string, unknown>;
}

/**
 * The `data` of a `verdict` event. The trainer emits one whenever the verdict changes, so the
 * events alone give the changes; the `verdictCode` series gives the verdict at every logged step.
 */
export interface VerdictEventData {
  id: VerdictId;
  evidence: VerdictEvidence;
  suggestions: VerdictSuggestion[];
}

/** A verdict at one logged step: what a renderer shows as the current verdict. */
export interface Verdict extends VerdictEventData {
  step: number;
  /** One plain sentence with the numbers, e.g. "D is winning: it classifies 99% of real ...". */
  message: string;
}

/** A verdict change, as `train --json` lists them. */
export interface VerdictChange {
  step: number;
  id: VerdictId;
}

function isVerdictId(value: unknown): value is VerdictId {
  return typeof value === 'string' && (VERDICT_IDS as readonly string[]).includes(value);
}

/** Returns the verdict a `verdict` event carries, or null for any other event or for data
 * without a known verdict id. */
export function verdictFromEvent(event: Pick<RunEvent, 'kind' | 'step' | 'message' | 'data'>): Verdict | null {
  if (event.kind !== 'verdict' || event.data === null) return null;

  const { id, evidence, suggestions } = event.data as Partial<VerdictEventData>;
  if (!isVerdictId(id)) return null;

  return {
    step: event.step,
    id,
    message: event.message,
    evidence: evidence ?? { window: [event.step, event.step] },
    suggestions: Array.isArray(suggestions) ? suggestions : [],
  };
}

/** Returns the verdicts recorded in a run's events, oldest first: one per verdict change. */
export function verdictsFromEvents(events: readonly Pick<RunEvent, 'kind' | 'step' | 'message' | 'data'>[]): Verdict[] {
  return events.flatMap((event) => {
    const verdict = verdictFromEvent(event);
    return verdict === null ? [] : [verdict];
  });
}
