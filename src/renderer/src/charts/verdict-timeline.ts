// Fits a run's `verdictCode` series into a strip of a fixed number of columns. Each column
// covers an equal share of the logged entries and shows the code most frequent among them,
// except that `diverged` and `mode-collapse` win any column they appear in: a short failure
// must stay visible however long the run is. Ties go to the more severe code.
import { VERDICT_CODES } from '../../../shared/verdict';

/** Codes that win their column whenever they appear in it, most severe first. */
const ALWAYS_SHOWN = [VERDICT_CODES.diverged, VERDICT_CODES['mode-collapse']];

/** Severity order for ties, least severe first; codes not listed (future verdicts) rank highest. */
const SEVERITY = [
  VERDICT_CODES['warming-up'],
  VERDICT_CODES.balanced,
  VERDICT_CODES['g-dominating'],
  VERDICT_CODES['d-dominating'],
  VERDICT_CODES.oscillating,
  VERDICT_CODES['vanishing-g-gradient'],
  VERDICT_CODES['mode-collapse'],
  VERDICT_CODES.diverged,
];

function severity(code: number): number {
  const rank = SEVERITY.indexOf(code);
  return rank === -1 ? SEVERITY.length : rank;
}

/** A run of adjacent columns with the same code. */
export interface TimelineSegment {
  code: number;
  /** First column of the segment, 0-based. */
  column: number;
  /** Number of columns it spans. */
  width: number;
  firstStep: number;
  lastStep: number;
}

/** Returns the code shown for entries [start, end) of `codes`. */
function columnCode(codes: ArrayLike<number>, start: number, end: number): number {
  const counts = new Map<number, number>();
  for (let i = start; i < end; i++) counts.set(codes[i], (counts.get(codes[i]) ?? 0) + 1);

  for (const code of ALWAYS_SHOWN) if (counts.has(code)) return code;

  let best = codes[start];
  for (const [code, count] of counts) {
    const bestCount = counts.get(best) ?? 0;
    if (count > bestCount || (count === bestCount && severity(code) > severity(best))) best = code;
  }
  return best;
}

/**
 * Splits the series into at most `columns` columns (one per entry when there are fewer entries)
 * and merges neighbouring columns with the same code into segments. `steps` must be ascending
 * and as long as `codes`.
 */
export function verdictTimeline(steps: ArrayLike<number>, codes: ArrayLike<number>, columns: number): TimelineSegment[] {
  if (steps.length !== codes.length) {
    throw new RangeError(`verdictTimeline needs one step per code, but got ${steps.length} steps and ${codes.length} codes.`);
  }
  if (!Number.isInteger(columns) || columns < 1) {
    throw new RangeError(`Invalid column count ${columns}: expected a positive integer.`);
  }

  const length = codes.length;
  const used = Math.min(columns, length);
  const segments: TimelineSegment[] = [];
  for (let column = 0; column < used; column++) {
    const start = Math.floor((column * length) / used);
    const end = Math.floor(((column + 1) * length) / used);
    const code = columnCode(codes, start, end);
    const previous = segments[segments.length - 1];
    if (previous && previous.code === code) {
      previous.width += 1;
      previous.lastStep = steps[end - 1];
    } else {
      segments.push({ code, column, width: 1, firstStep: steps[start], lastStep: steps[end - 1] });
    }
  }

  return segments;
}
