// How each balance verdict reads in the UI: a label and a tone that picks its colour.
import { VERDICT_CODES, VERDICT_IDS, type VerdictId } from '../../../shared/verdict';

/** Colour families: good (green), imbalance (amber), trouble (orange), failure (red), none yet (grey). */
export type VerdictTone = 'good' | 'imbalance' | 'trouble' | 'failure' | 'pending';

export const VERDICT_LABELS: Record<VerdictId, string> = {
  'warming-up': 'Warming up',
  balanced: 'Balanced',
  'd-dominating': 'D dominating',
  'g-dominating': 'G dominating',
  'vanishing-g-gradient': 'Vanishing G gradient',
  oscillating: 'Oscillating',
  diverged: 'Diverged',
  'mode-collapse': 'Mode collapse',
};

export const VERDICT_TONES: Record<VerdictId, VerdictTone> = {
  'warming-up': 'pending',
  balanced: 'good',
  'd-dominating': 'imbalance',
  'g-dominating': 'imbalance',
  'vanishing-g-gradient': 'trouble',
  oscillating: 'trouble',
  diverged: 'failure',
  'mode-collapse': 'failure',
};

/** The CSS colour of a verdict, one per id, from the theme's variables so it follows light
 * and dark. The banner uses the coarser tone colours instead. */
export function verdictColor(id: VerdictId): string {
  return `var(--verdict-color-${id})`;
}

/** Verdict ids by their `verdictCode` value. */
export const VERDICT_BY_CODE: ReadonlyMap<number, VerdictId> = new Map(VERDICT_IDS.map((id) => [VERDICT_CODES[id], id]));
