// The stateful side of the balance verdict. It keeps the window of logged statistics for one
// run, runs the verdict engine at each logged step, keeps verdicts raised by other indicators
// (mode collapse), and emits a `verdict` event whenever the verdict changes.
import type { RunConfig } from '../../shared/config';
import type { EventKind, MetricPoint } from '../../shared/run';
import { VERDICT_CODE_METRIC, VERDICT_CODES, type Verdict, type VerdictChange, type VerdictEvidence, type VerdictId, type VerdictSuggestion } from '../../shared/verdict';
import { balanceSettingsFromConfig, judgeBalance, suggestRemedies, type BalanceSettings, type LoggedStatistics } from '../metrics/verdict';
import { CONFIRM_ENTRIES, MIN_WINDOW_ENTRIES, WINDOW_ENTRIES } from '../metrics/verdict-thresholds';

/** Receives each verdict change; the trainer passes its host's `event`. */
export type VerdictEventSink = (step: number, kind: EventKind, message: string, data: Record<string, unknown>) => void;

/** Verdicts that other indicators raise, because the balance statistics cannot show them. */
export type RaisedVerdictId = Exclude<VerdictId, 'warming-up' | 'balanced' | 'diverged'>;

/** An indicator's report when it raises a verdict. */
export interface RaisedFinding {
  /** One plain sentence with the numbers, e.g. "2 of 8 modes covered at step 500." */
  message: string;
  evidence: VerdictEvidence;
  /** Remedies; the engine's defaults for the verdict id when left out. */
  suggestions?: VerdictSuggestion[];
}

export class VerdictTracker {
  private readonly settings: BalanceSettings;
  private readonly window: LoggedStatistics[] = [];
  private readonly changeList: VerdictChange[] = [];
  private readonly raised = new Map<RaisedVerdictId, Verdict>();
  private earlyEntries = 0;
  private earlyGradNormG: number | undefined;
  private current: Verdict | null = null;
  /** True while the current verdict is a raised one rather than the engine's. */
  private currentIsRaised = false;
  /** A computed verdict that differs from the current one, and for how many logged steps in a row. */
  private pending: { id: VerdictId; entries: number } | null = null;
  /** The engine's own verdict at the latest logged step, which a cleared raised verdict falls back to. */
  private lastJudged: Verdict | null = null;

  constructor(
    config: RunConfig,
    private readonly emit: VerdictEventSink,
  ) {
    this.settings = balanceSettingsFromConfig(config);
  }

  /** The verdict at the latest logged step, or null before the first one. */
  get verdict(): Verdict | null {
    return this.current;
  }

  /** Every verdict change so far, oldest first. */
  get changes(): readonly VerdictChange[] {
    return this.changeList;
  }

  /**
   * Adds the statistics of one logged step, updates the verdict, emits a `verdict` event when it
   * changed, and returns the step's `verdictCode` metric point for the timeline.
   */
  observe(step: number, values: Readonly<Record<string, number>>): MetricPoint {
    this.window.push({ step, values: { ...values } });
    if (this.window.length > WINDOW_ENTRIES) this.window.shift();
    this.recordEarlyGradient(values);

    const judged: Verdict = { step, ...judgeBalance(this.window, this.settings, { earlyGradNormG: this.earlyGradNormG }) };
    this.lastJudged = judged;
    const next = judged.id === 'diverged' ? judged : (this.latestRaised(step) ?? judged);
    this.adopt(next);

    return { step, name: VERDICT_CODE_METRIC, value: VERDICT_CODES[this.current?.id ?? 'warming-up'] };
  }

  /**
   * Raises a verdict that the balance statistics cannot show, such as `mode-collapse`. It takes
   * over at once (with a `verdict` event when it changes the verdict) and stays until `clear`,
   * except that `diverged` overrides it. It shows in the timeline from the next logged step.
   */
  raise(step: number, id: RaisedVerdictId, finding: RaisedFinding): void {
    const verdict: Verdict = {
      step,
      id,
      message: finding.message,
      evidence: finding.evidence,
      suggestions: finding.suggestions ?? suggestRemedies(id, this.settings),
    };
    this.raised.set(id, verdict);
    if (this.current?.id !== 'diverged') this.change(verdict, true);
  }

  /** Withdraws a raised verdict. When it was the current verdict, another raised verdict or the
   * engine's verdict at the latest logged step takes over at once, so a run that ends right after
   * the alarm clears does not keep it as its final verdict. */
  clear(id: RaisedVerdictId): void {
    this.raised.delete(id);
    if (!this.currentIsRaised || this.current?.id !== id) return;

    const step = this.current.step;
    const fallback = this.latestRaised(step) ?? (this.lastJudged ? { ...this.lastJudged, step: Math.max(step, this.lastJudged.step) } : null);
    if (fallback) this.change(fallback, this.raised.has(fallback.id as RaisedVerdictId));
  }

  private recordEarlyGradient(values: Readonly<Record<string, number>>): void {
    if (this.earlyEntries >= MIN_WINDOW_ENTRIES) return;
    this.earlyEntries++;

    const norm = values.gradNormG;
    if (norm === undefined || !Number.isFinite(norm)) return;
    this.earlyGradNormG = Math.max(this.earlyGradNormG ?? 0, norm);
  }

  /** Returns the most recently raised verdict not yet cleared, restamped with the current step. */
  private latestRaised(step: number): Verdict | null {
    const held = [...this.raised.values()];
    if (held.length === 0) return null;

    const latest = held.reduce((a, b) => (b.step >= a.step ? b : a));
    return { ...latest, step };
  }

  /** Takes `next` as the verdict, at once or after it held for `CONFIRM_ENTRIES` logged steps. */
  private adopt(next: Verdict): void {
    const current = this.current;
    const raisedNext = this.raised.has(next.id as RaisedVerdictId);
    if (current !== null && next.id === current.id) {
      this.change(next, raisedNext);
      return;
    }

    // Warm-up, divergence, a raised verdict and the end of a cleared one take effect at once.
    const clearedCurrent = this.currentIsRaised && !this.raised.has(current?.id as RaisedVerdictId);
    const immediate = current === null || current.id === 'warming-up' || next.id === 'diverged' || raisedNext || clearedCurrent;
    if (!immediate) {
      this.pending = this.pending?.id === next.id ? { id: next.id, entries: this.pending.entries + 1 } : { id: next.id, entries: 1 };
      if (this.pending.entries < CONFIRM_ENTRIES) return;
    }
    this.change(next, raisedNext);
  }

  /** Makes `next` the current verdict and emits an event when its id differs. Warm-up is the
   * state before the first verdict, so it gets no event. */
  private change(next: Verdict, raised = false): void {
    const changed = this.current?.id !== next.id;
    this.current = next;
    this.currentIsRaised = raised;
    this.pending = null;
    if (!changed || next.id === 'warming-up') return;

    this.changeList.push({ step: next.step, id: next.id });
    this.emit(next.step, 'verdict', next.message, { id: next.id, evidence: next.evidence, suggestions: next.suggestions });
  }
}
