// The balance verdict engine: turns a window of logged balance statistics into one verdict
// (who is winning, the numbers behind the call, what to try). Pure functions of plain numbers,
// with no tfjs, so tests can feed hand-built windows.
//
// The engine reads the statistics the training step logs. dReal and dFake are D's mean output
// on real and generated examples, and accReal and accFake its accuracy at the decision boundary.
// gradNormD and gradNormG are the global L2 norms of each network's gradient. When present it
// also reads wassersteinEstimate, rt (mean sign of D on reals) and dSaturated (the fraction of
// generated examples whose logit saturates the minimax loss).
import type { RunConfig } from '../../shared/config';
import type { Verdict, VerdictEvidence, VerdictId, VerdictSuggestion } from '../../shared/verdict';
import {
  CHANCE_ACCURACY,
  CRITIC_LOSING_FRACTION,
  CRITIC_WIDENING_FRACTION,
  CRITIC_WIDENING_RISE,
  DOMINANT_ACCURACY,
  DOMINANT_D_FAKE,
  LOSS_SCALE_FLOOR,
  MIN_WINDOW_ENTRIES,
  OSCILLATION_RELATIVE_SWING,
  OSCILLATION_REVERSAL_FRACTION,
  SATURATED_FRACTION,
  VANISHING_GRADIENT_FRACTION_OF_D,
  VANISHING_GRADIENT_FRACTION_OF_EARLY,
} from './verdict-thresholds';

/** The statistics logged at one step. */
export interface LoggedStatistics {
  step: number;
  values: Readonly<Record<string, number>>;
}

/**
 * The reading of D's output, per loss family:
 * - `logistic` (minimax, ns, hinge, ragan): dReal and dFake are σ(logit), in [0, 1], with the
 *   decision boundary at 0.5;
 * - `least-squares` (lsgan): raw outputs regressed onto 1 for real and 0 for generated examples;
 * - `critic` (wgan, wgan-gp): raw critic values with an arbitrary offset, so accuracy at 0 means
 *   little and the engine reads the critic gap (the Wasserstein estimate) instead.
 */
export type LossFamily = 'logistic' | 'least-squares' | 'critic';

/** Returns the family of a loss kind; kinds the engine does not know read as logistic. */
export function lossFamily(loss: string): LossFamily {
  if (loss === 'wgan' || loss === 'wgan-gp') return 'critic';
  if (loss === 'lsgan') return 'least-squares';
  return 'logistic';
}

/**
 * The parts of a run's config that the suggestions depend on. Fields a config version lacks
 * stay undefined, and suggestions that need them are then made without a config patch.
 */
export interface BalanceSettings {
  loss: string;
  learningRateD: number;
  learningRateG: number;
  nD: number;
  nG: number;
  batchSize: number;
  /** Adam's β1 of each network; undefined for other optimizers. */
  beta1D?: number;
  beta1G?: number;
  /** λ of the WGAN-GP penalty that loss `wgan-gp` adds. */
  lossPenaltyWeight?: number;
  /** The loss-independent gradient penalty: `none`, `wgan-gp`, `r1` or `r2`. */
  penaltyKind?: string;
  penaltyWeight?: number;
  /** Target for real examples in the logistic losses; 1 means no label smoothing. */
  realLabel?: number;
  /** Instance-noise standard deviation at step 1, in data units. */
  instanceNoiseStd?: number;
  spectralNormD?: boolean;
}

/** The balancing fields a config may carry; older configs lack them, so all are optional here. */
interface BalancingFields {
  realLabel?: number;
  penalty?: { kind: string; weight: number };
  instanceNoise?: { std: number };
  spectralNorm?: { discriminator: boolean };
}

/** Extracts the settings the suggestions depend on from a run config. */
export function balanceSettingsFromConfig(config: RunConfig): BalanceSettings {
  const balancing = config as RunConfig & BalancingFields;

  return {
    loss: config.loss.kind,
    learningRateD: config.optimizerD.learningRate,
    learningRateG: config.optimizerG.learningRate,
    nD: config.nD,
    nG: config.nG,
    batchSize: config.batchSize,
    beta1D: config.optimizerD.kind === 'adam' ? config.optimizerD.beta1 : undefined,
    beta1G: config.optimizerG.kind === 'adam' ? config.optimizerG.beta1 : undefined,
    lossPenaltyWeight: config.loss.kind === 'wgan-gp' ? config.loss.gradientPenaltyWeight : undefined,
    penaltyKind: balancing.penalty?.kind,
    penaltyWeight: balancing.penalty?.weight,
    realLabel: balancing.realLabel,
    instanceNoiseStd: balancing.instanceNoise?.std,
    spectralNormD: balancing.spectralNorm?.discriminator,
  };
}

/** Figures from earlier in the run that a window is compared against. */
export interface RunHistory {
  /** Largest gradNormG in the run's first logged steps. */
  earlyGradNormG?: number;
}

/** A verdict without its step: what the engine returns for a window. */
export type Judgement = Omit<Verdict, 'step'>;

// ── Window statistics ────────────────────────────────────────────────────────────────────

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Rounds to 4 significant digits, so that evidence stays readable in an event's JSON. */
function round(value: number): number {
  return Number(value.toPrecision(4));
}

/** Formats a number for a message: 3 significant digits, exponent form outside [0.01, 1000). */
function formatNumber(value: number): string {
  const rounded = Number(value.toPrecision(3));
  const magnitude = Math.abs(rounded);
  if (magnitude !== 0 && (magnitude < 0.01 || magnitude >= 1000)) return rounded.toExponential(1).replace('.0e', 'e').replace('e+', 'e');
  return String(rounded);
}

function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

/** Collects one statistic's values across the window, skipping entries that lack it. */
function series(window: readonly LoggedStatistics[], name: string): number[] {
  return window.flatMap((entry) => (entry.values[name] === undefined ? [] : [entry.values[name]]));
}

/** Window means of every statistic the window carries, plus the window's first and last step. */
function windowEvidence(window: readonly LoggedStatistics[]): VerdictEvidence {
  const evidence: VerdictEvidence = { window: [window[0].step, window[window.length - 1].step] };
  const names = new Set(window.flatMap((entry) => Object.keys(entry.values)));
  for (const name of [...names].sort()) evidence[name] = round(mean(series(window, name)));
  return evidence;
}

/** Collects the critic gap at each logged step: the Wasserstein estimate when logged, else
 * dReal − dFake, which equals it because a critic's dReal and dFake are raw mean outputs. */
function criticGaps(window: readonly LoggedStatistics[]): number[] {
  return window.flatMap((entry) => {
    const { wassersteinEstimate, dReal, dFake } = entry.values;
    if (wassersteinEstimate !== undefined) return [wassersteinEstimate];
    if (dReal !== undefined && dFake !== undefined) return [dReal - dFake];
    return [];
  });
}

/** Fraction of successive differences that are positive. */
function risingFraction(values: number[]): number {
  if (values.length < 2) return 0;
  let rises = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[i - 1]) rises++;
  return rises / (values.length - 1);
}

/**
 * Each loss's value when D cannot tell real from generated examples (D(x) = D(G(z)) = ½, logit 0),
 * the natural size to measure its swings against: 2·ln 2 and ln 2 for the logistic losses, 2 for
 * hinge's D (its G loss is 0 there, so its margin 1 is used instead), ¼ and ⅛ for LSGAN with targets
 * 0 and 1. Wasserstein critics have no such value; their losses are measured against the critic gap.
 */
const INDISTINGUISHABLE_LOSS: Record<string, { lossD: number; lossG: number }> = {
  minimax: { lossD: 2 * Math.LN2, lossG: Math.LN2 },
  ns: { lossD: 2 * Math.LN2, lossG: Math.LN2 },
  ragan: { lossD: 2 * Math.LN2, lossG: 2 * Math.LN2 },
  hinge: { lossD: 2, lossG: 1 },
  lsgan: { lossD: 0.25, lossG: 0.125 },
};

/** Returns the size a loss's swings are measured against: its mean magnitude over the window, or
 * its reference size when larger, so that a loss resting near zero does not read as swinging wildly. */
function lossScale(window: readonly LoggedStatistics[], name: 'lossD' | 'lossG', loss: string): number {
  const magnitude = mean(series(window, name).map(Math.abs));
  const reference = lossFamily(loss) === 'critic' ? mean(criticGaps(window).map(Math.abs)) : (INDISTINGUISHABLE_LOSS[loss]?.[name] ?? 0);
  return Math.max(magnitude, reference, LOSS_SCALE_FLOOR);
}

/** Swing and reversals of one loss across the window: the median absolute change between logged
 * steps relative to `scale`, and the fraction of changes that reverse direction. The median keeps
 * one large drop, such as the first steps of a run, from reading as a swing. */
function lossSwing(values: number[], scale: number): { relativeSwing: number; reversalFraction: number } {
  if (values.length < 3) return { relativeSwing: 0, reversalFraction: 0 };

  const changes = values.slice(1).map((value, i) => value - values[i]);
  let reversals = 0;
  for (let i = 1; i < changes.length; i++) if (changes[i] * changes[i - 1] < 0) reversals++;

  return {
    relativeSwing: median(changes.map(Math.abs)) / scale,
    reversalFraction: reversals / (changes.length - 1),
  };
}

// ── Conditions ───────────────────────────────────────────────────────────────────────────

interface Finding {
  id: VerdictId;
  /** Logged step the finding starts at; only `diverged` sets it, to its first failing step. */
  step?: number;
  message: string;
  /** Derived figures added to the window means. */
  extra: Record<string, number | string>;
}

function stepRange(window: readonly LoggedStatistics[]): string {
  return `steps ${window[0].step}–${window[window.length - 1].step}`;
}

/** Finds D separating real from generated examples with confidence (logistic and least-squares losses). */
function findDecisiveDiscriminator(window: readonly LoggedStatistics[]): Finding | null {
  const accReal = series(window, 'accReal');
  const accFake = series(window, 'accFake');
  const dFake = series(window, 'dFake');
  if (accReal.length === 0 || accFake.length === 0 || dFake.length === 0) return null;

  const [meanAccReal, meanAccFake, meanDFake] = [mean(accReal), mean(accFake), mean(dFake)];
  // Balanced accuracy, so that a D that is sure about generated examples but slightly less so
  // about real ones (0.86 and 0.96, say) still counts as winning.
  const balancedAccuracy = (meanAccReal + meanAccFake) / 2;
  if (balancedAccuracy <= DOMINANT_ACCURACY || meanDFake >= DOMINANT_D_FAKE) return null;

  return {
    id: 'd-dominating',
    message: `D is winning over ${stepRange(window)}: it classifies ${formatPercent(meanAccReal)} of real and ${formatPercent(meanAccFake)} of generated examples correctly, and D(G(z)) averages ${formatNumber(meanDFake)}.`,
    extra: {},
  };
}

/** Finds a critic gap that widens steadily and by a large amount, so G falls further behind.
 * A window where the gap was at or below 0 is left out, because early in a run the gap rises from
 * below 0 while the critic learns, before G has had a chance to fall behind. */
function findWideningCritic(window: readonly LoggedStatistics[]): Finding | null {
  const gaps = criticGaps(window);
  if (gaps.length < MIN_WINDOW_ENTRIES || gaps.some((gap) => gap <= 0)) return null;

  const rise = gaps[gaps.length - 1] - gaps[0];
  const scale = Math.max(mean(gaps.map(Math.abs)), LOSS_SCALE_FLOOR);
  const rising = risingFraction(gaps);
  if (rising < CRITIC_WIDENING_FRACTION || rise / scale <= CRITIC_WIDENING_RISE) return null;

  return {
    id: 'd-dominating',
    message: `The critic is pulling ahead over ${stepRange(window)}: its Wasserstein estimate rose from ${formatNumber(gaps[0])} to ${formatNumber(gaps[gaps.length - 1])}, rising at ${formatPercent(rising)} of logged steps.`,
    extra: { criticGapRise: round(rise), criticGapRisingFraction: round(rising) },
  };
}

/** Finds G's gradient all but vanished. The caller checks first that D dominates. Saturated logits count for
 * minimax only: its G gradient per logit is −σ(f), which vanishes as f → −∞, while the
 * non-saturating loss's is −(1 − σ(f)), which tends to −1 there. */
function findVanishingGradient(window: readonly LoggedStatistics[], loss: string, history: RunHistory, dominance: Finding): Finding | null {
  const gradNormG = series(window, 'gradNormG');
  const gradNormD = series(window, 'gradNormD');
  const saturated = series(window, 'dSaturated');
  const extra: Record<string, number> = {};
  const reasons: string[] = [];

  if (gradNormG.length > 0) {
    const typicalG = median(gradNormG);
    extra.gradNormGMedian = round(typicalG);

    if (history.earlyGradNormG !== undefined && history.earlyGradNormG > 0) {
      const ofEarly = typicalG / history.earlyGradNormG;
      extra.gradNormGFractionOfEarly = round(ofEarly);
      if (ofEarly < VANISHING_GRADIENT_FRACTION_OF_EARLY) {
        reasons.push(`‖∇G‖ is ${formatNumber(typicalG)}, ${formatPercent(ofEarly)} of its early ${formatNumber(history.earlyGradNormG)}`);
      }
    }
    if (gradNormD.length > 0 && median(gradNormD) > 0) {
      const ofD = typicalG / median(gradNormD);
      extra.gradNormGFractionOfD = round(ofD);
      if (ofD < VANISHING_GRADIENT_FRACTION_OF_D) reasons.push(`‖∇G‖ is ${formatNumber(typicalG)} against ‖∇D‖ ${formatNumber(median(gradNormD))}`);
    }
  }
  if (loss === 'minimax' && saturated.length > 0 && mean(saturated) > SATURATED_FRACTION) {
    reasons.push(`${formatPercent(mean(saturated))} of generated examples saturate D's output`);
  }
  if (reasons.length === 0) return null;

  return {
    id: 'vanishing-g-gradient',
    message: `G's gradient is vanishing over ${stepRange(window)}: ${reasons.join(', and ')}. ${dominance.message}`,
    extra: { ...dominance.extra, ...extra },
  };
}

/** Finds D rating generated examples at or above real ones and no better than chance on them. */
function findWeakDiscriminator(window: readonly LoggedStatistics[]): Finding | null {
  const accFake = series(window, 'accFake');
  const dReal = series(window, 'dReal');
  const dFake = series(window, 'dFake');
  if (accFake.length === 0 || dReal.length === 0 || dFake.length === 0) return null;

  const [meanAccFake, meanDReal, meanDFake] = [mean(accFake), mean(dReal), mean(dFake)];
  if (meanAccFake > CHANCE_ACCURACY || meanDFake < meanDReal) return null;

  return {
    id: 'g-dominating',
    message: `G is winning over ${stepRange(window)}: D classifies only ${formatPercent(meanAccFake)} of generated examples correctly and rates them at ${formatNumber(meanDFake)} against ${formatNumber(meanDReal)} for real ones.`,
    extra: {},
  };
}

/** Finds a critic that rates generated examples at or above real ones at nearly every logged step. */
function findLosingCritic(window: readonly LoggedStatistics[]): Finding | null {
  const gaps = criticGaps(window);
  if (gaps.length === 0) return null;

  const losing = gaps.filter((gap) => gap <= 0).length / gaps.length;
  if (losing < CRITIC_LOSING_FRACTION || mean(gaps) > 0) return null;

  return {
    id: 'g-dominating',
    message: `G is winning over ${stepRange(window)}: the critic's Wasserstein estimate averages ${formatNumber(mean(gaps))} and was at or below 0 at ${formatPercent(losing)} of logged steps, so it rates generated examples at or above real ones.`,
    extra: { criticGapNonPositiveFraction: round(losing) },
  };
}

/** Finds a loss that swings by a large fraction of its size and keeps reversing direction. */
function findOscillation(window: readonly LoggedStatistics[], loss: string): Finding | null {
  const labels = { lossD: "D's loss", lossG: "G's loss" };

  for (const name of ['lossD', 'lossG'] as const) {
    const { relativeSwing, reversalFraction } = lossSwing(series(window, name), lossScale(window, name, loss));
    if (relativeSwing <= OSCILLATION_RELATIVE_SWING || reversalFraction < OSCILLATION_REVERSAL_FRACTION) continue;

    return {
      id: 'oscillating',
      message: `The losses oscillate over ${stepRange(window)}: ${labels[name]} changes by ${formatPercent(relativeSwing)} of its typical size between logged steps and reverses direction at ${formatPercent(reversalFraction)} of them.`,
      extra: { oscillatingLoss: name, relativeSwing: round(relativeSwing), reversalFraction: round(reversalFraction) },
    };
  }
  return null;
}

function findBalance(window: readonly LoggedStatistics[], family: LossFamily): Finding {
  const evidence = windowEvidence(window);
  const quoted = (name: string, label: string) => (typeof evidence[name] === 'number' ? [`${label} ${formatNumber(evidence[name] as number)}`] : []);
  const parts =
    family === 'critic'
      ? [...quoted('wassersteinEstimate', 'Wasserstein estimate'), ...quoted('gradNormD', '‖∇D‖'), ...quoted('gradNormG', '‖∇G‖')]
      : [...quoted('accReal', 'D accuracy on real'), ...quoted('accFake', 'on generated'), ...quoted('dReal', 'D(x)'), ...quoted('dFake', 'D(G(z))')];
  const figures = parts.length > 0 ? `: ${parts.join(', ')}` : '';

  return { id: 'balanced', message: `Balanced over ${stepRange(window)}${figures}.`, extra: {} };
}

// ── The engine ───────────────────────────────────────────────────────────────────────────

/** Terms checked first for a non-finite value: the losses explain the rest when they fail. */
const DIVERGENCE_ORDER = ['lossD', 'lossG', 'gradientPenalty', 'gradNormD', 'gradNormG'];

/** Returns the name of the first NaN or infinite statistic, losses first, or null when all are finite. */
export function firstNonFiniteStatistic(values: Readonly<Record<string, number>>): string | null {
  for (const name of [...DIVERGENCE_ORDER, ...Object.keys(values)]) {
    if (name in values && !Number.isFinite(values[name])) return name;
  }
  return null;
}

function findDivergence(window: readonly LoggedStatistics[]): Finding | null {
  for (const entry of window) {
    const term = firstNonFiniteStatistic(entry.values);
    if (term === null) continue;

    // The finite statistics of the failing step show what still looked sane when it failed.
    const value = String(entry.values[term]);
    const finite = Object.entries(entry.values).filter(([, number]) => Number.isFinite(number));
    return {
      id: 'diverged',
      step: entry.step,
      message: `Training diverged: ${term} became ${value} at step ${entry.step}.`,
      extra: { ...Object.fromEntries(finite.map(([name, number]) => [name, round(number)])), term, value },
    };
  }
  return null;
}

/**
 * Judges a window of logged statistics, oldest first. Checks run in order of severity and the
 * first that is true decides: any non-finite value gives `diverged`; then vanishing G gradient,
 * D dominating, G dominating, oscillation; `balanced` otherwise. A window shorter than
 * `MIN_WINDOW_ENTRIES` gives `warming-up`.
 */
export function judgeBalance(window: readonly LoggedStatistics[], settings: BalanceSettings, history: RunHistory = {}): Judgement {
  if (window.length === 0) throw new Error('judgeBalance: the window is empty; pass at least one logged step.');

  const diverged = findDivergence(window);
  if (diverged) return toJudgement(diverged, { window: [diverged.step ?? window[0].step, window[window.length - 1].step] }, settings);

  if (window.length < MIN_WINDOW_ENTRIES) {
    return {
      id: 'warming-up',
      message: `Warming up: the first verdict comes after ${MIN_WINDOW_ENTRIES} logged steps, and ${window.length} ${window.length === 1 ? 'is' : 'are'} in so far.`,
      evidence: windowEvidence(window),
      suggestions: [],
    };
  }

  const family = lossFamily(settings.loss);
  const dominance = family === 'critic' ? findWideningCritic(window) : findDecisiveDiscriminator(window);
  const finding =
    (dominance && findVanishingGradient(window, settings.loss, history, dominance)) ??
    dominance ??
    (family === 'critic' ? findLosingCritic(window) : findWeakDiscriminator(window)) ??
    findOscillation(window, settings.loss) ??
    findBalance(window, family);

  return toJudgement(finding, windowEvidence(window), settings);
}

function toJudgement(finding: Finding, evidence: VerdictEvidence, settings: BalanceSettings): Judgement {
  return {
    id: finding.id,
    message: finding.message,
    evidence: { ...evidence, ...finding.extra },
    suggestions: suggestRemedies(finding.id, settings),
  };
}

// ── Suggestions ──────────────────────────────────────────────────────────────────────────

/** Largest learning rate the config schema accepts. */
const MAX_LEARNING_RATE = 10;
/** Largest batch size the config schema accepts. */
const MAX_BATCH_SIZE = 8192;
/** Largest nD the config schema accepts. */
const MAX_N_D = 100;
/** R1 weight γ = 10, the value Mescheder et al. 2018 ("Which Training Methods for GANs do
 * actually Converge?") use on most datasets; also WGAN-GP's λ. */
const PENALTY_WEIGHT = 10;
/** One-sided label smoothing target of Salimans et al. 2016 ("Improved Techniques for Training GANs"). */
const SMOOTHED_REAL_LABEL = 0.9;
/** Instance-noise std at step 1, in data units: a tenth of the [−1, 1] image range and large
 * against the 0.02 to 0.05 spread of the 2-D mixtures' modes, annealed to 0 by the schedule. */
const INSTANCE_NOISE_STD = 0.1;

function lowerLearningRateD(settings: BalanceSettings, factor: number): VerdictSuggestion {
  const next = settings.learningRateD * factor;
  return {
    id: 'lower-lr-d',
    text: `Lower D's learning rate from ${formatNumber(settings.learningRateD)} to ${formatNumber(next)}.`,
    patch: { optimizerD: { learningRate: next } },
  };
}

function lowerND(settings: BalanceSettings): VerdictSuggestion[] {
  if (settings.nD <= 1) return [];
  const next = Math.max(1, Math.floor(settings.nD / 2));
  return [{ id: 'lower-n-d', text: `Lower nD, the D updates per step, from ${settings.nD} to ${next}.`, patch: { nD: next } }];
}

function switchToNonSaturating(settings: BalanceSettings): VerdictSuggestion[] {
  if (settings.loss !== 'minimax') return [];
  return [
    {
      id: 'switch-to-ns',
      text: "Switch the minimax loss to the non-saturating loss: G's minimax gradient vanishes while D rejects its samples.",
      patch: { loss: { kind: 'ns' } },
    },
  ];
}

/** Suggests a gradient penalty on D, or a stronger one when the run already has one. */
function gradientPenalty(settings: BalanceSettings): VerdictSuggestion[] {
  if (settings.loss === 'wgan') {
    return [{ id: 'switch-to-wgan-gp', text: "Switch the wgan loss to wgan-gp: a gradient penalty keeps the critic Lipschitz more gently than weight clipping.", patch: { loss: { kind: 'wgan-gp' } } }];
  }
  if (settings.penaltyKind !== undefined && settings.penaltyKind !== 'none' && settings.penaltyWeight !== undefined) {
    const next = settings.penaltyWeight * 2;
    return [{ id: 'strengthen-gradient-penalty', text: `Raise the ${settings.penaltyKind} gradient penalty's weight from ${formatNumber(settings.penaltyWeight)} to ${formatNumber(next)}.`, patch: { penalty: { weight: next } } }];
  }
  if (settings.loss === 'wgan-gp' && settings.lossPenaltyWeight !== undefined) {
    const next = settings.lossPenaltyWeight * 2;
    return [{ id: 'strengthen-gradient-penalty', text: `Raise the WGAN-GP penalty weight λ from ${formatNumber(settings.lossPenaltyWeight)} to ${formatNumber(next)}.`, patch: { loss: { gradientPenaltyWeight: next } } }];
  }

  const text = `Add a gradient penalty on D: R1 with γ ${PENALTY_WEIGHT} on real examples, or WGAN-GP.`;
  if (settings.penaltyKind === undefined) return [{ id: 'add-gradient-penalty', text }];
  return [{ id: 'add-gradient-penalty', text, patch: { penalty: { kind: 'r1', weight: PENALTY_WEIGHT } } }];
}

function smoothRealLabels(settings: BalanceSettings): VerdictSuggestion[] {
  // Label smoothing applies to the logistic losses with a real-label target: minimax and ns.
  if (settings.loss !== 'minimax' && settings.loss !== 'ns') return [];
  if (settings.realLabel !== undefined && settings.realLabel < 1) return [];

  const text = `Smooth the real labels: train D towards ${SMOOTHED_REAL_LABEL} instead of 1 on real examples.`;
  if (settings.realLabel === undefined) return [{ id: 'smooth-real-labels', text }];
  return [{ id: 'smooth-real-labels', text, patch: { realLabel: SMOOTHED_REAL_LABEL } }];
}

function addInstanceNoise(settings: BalanceSettings): VerdictSuggestion[] {
  if (settings.instanceNoiseStd !== undefined && settings.instanceNoiseStd > 0) return [];

  const text = `Add instance noise: Gaussian noise with std ${INSTANCE_NOISE_STD} on D's real and generated inputs, annealed to 0.`;
  if (settings.instanceNoiseStd === undefined) return [{ id: 'add-instance-noise', text }];
  return [{ id: 'add-instance-noise', text, patch: { instanceNoise: { std: INSTANCE_NOISE_STD } } }];
}

function addSpectralNorm(settings: BalanceSettings): VerdictSuggestion[] {
  if (settings.spectralNormD !== false) return [];
  return [{ id: 'add-spectral-norm', text: "Add spectral normalization to D's layers.", patch: { spectralNorm: { discriminator: true } } }];
}

function strengthenDiscriminator(settings: BalanceSettings): VerdictSuggestion[] {
  const suggestions: VerdictSuggestion[] = [];
  const learningRate = Math.min(settings.learningRateD * 2, MAX_LEARNING_RATE);
  if (learningRate > settings.learningRateD) {
    suggestions.push({ id: 'raise-lr-d', text: `Raise D's learning rate from ${formatNumber(settings.learningRateD)} to ${formatNumber(learningRate)}.`, patch: { optimizerD: { learningRate } } });
  }

  // Wasserstein critics are trained 5 times per G step in Arjovsky et al. 2017 and Gulrajani et al. 2017.
  const nD = lossFamily(settings.loss) === 'critic' && settings.nD < 5 ? 5 : Math.min(settings.nD + 1, MAX_N_D);
  if (nD > settings.nD) suggestions.push({ id: 'raise-n-d', text: `Raise nD, the D updates per step, from ${settings.nD} to ${nD}.`, patch: { nD } });
  if (settings.nG > 1) suggestions.push({ id: 'lower-n-g', text: `Lower nG, the G updates per step, from ${settings.nG} to 1.`, patch: { nG: 1 } });

  const learningRateG = settings.learningRateG / 2;
  suggestions.push({ id: 'lower-lr-g', text: `Lower G's learning rate from ${formatNumber(settings.learningRateG)} to ${formatNumber(learningRateG)}.`, patch: { optimizerG: { learningRate: learningRateG } } });
  return suggestions;
}

function lowerLearningRates(settings: BalanceSettings, factor: number): VerdictSuggestion {
  const [d, g] = [settings.learningRateD * factor, settings.learningRateG * factor];
  return {
    id: 'lower-learning-rates',
    text: `Lower both learning rates: D's from ${formatNumber(settings.learningRateD)} to ${formatNumber(d)} and G's from ${formatNumber(settings.learningRateG)} to ${formatNumber(g)}.`,
    patch: { optimizerD: { learningRate: d }, optimizerG: { learningRate: g } },
  };
}

function lowerBeta1(settings: BalanceSettings): VerdictSuggestion[] {
  // β1 = 0.5 is the DCGAN recipe (Radford et al. 2016); Adam's default 0.9 adds momentum that
  // feeds the oscillation of a two-player game.
  const high = (beta?: number) => beta !== undefined && beta > 0.5;
  if (!high(settings.beta1D) && !high(settings.beta1G)) return [];
  return [
    {
      id: 'lower-beta1',
      text: "Lower Adam's β1 to 0.5 for both networks: momentum feeds the oscillation.",
      patch: { optimizerD: { beta1: 0.5 }, optimizerG: { beta1: 0.5 } },
    },
  ];
}

function raiseBatchSize(settings: BalanceSettings): VerdictSuggestion[] {
  const next = Math.min(settings.batchSize * 2, MAX_BATCH_SIZE);
  if (next <= settings.batchSize) return [];
  return [{ id: 'raise-batch-size', text: `Raise the batch size from ${settings.batchSize} to ${next}, which averages out gradient noise.`, patch: { batchSize: next } }];
}

function switchToWassersteinLoss(settings: BalanceSettings): VerdictSuggestion[] {
  if (lossFamily(settings.loss) === 'critic') return [];
  return [
    {
      id: 'switch-to-wgan-gp',
      text: `Switch the ${settings.loss} loss to wgan-gp, whose critic keeps giving G a gradient towards the modes it misses.`,
      patch: { loss: { kind: 'wgan-gp' } },
    },
  ];
}

/** Returns the remedies for a verdict, most direct first, worded for the run's settings. */
export function suggestRemedies(id: VerdictId, settings: BalanceSettings): VerdictSuggestion[] {
  switch (id) {
    case 'd-dominating':
      return [lowerLearningRateD(settings, 0.5), ...lowerND(settings), ...switchToNonSaturating(settings), ...gradientPenalty(settings), ...smoothRealLabels(settings), ...addInstanceNoise(settings), ...addSpectralNorm(settings)];
    case 'vanishing-g-gradient':
      return [...switchToNonSaturating(settings), lowerLearningRateD(settings, 0.5), ...lowerND(settings), ...gradientPenalty(settings), ...addInstanceNoise(settings)];
    case 'g-dominating':
      return strengthenDiscriminator(settings);
    case 'oscillating':
      return [lowerLearningRates(settings, 0.5), ...lowerBeta1(settings), ...gradientPenalty(settings), ...raiseBatchSize(settings)];
    case 'diverged':
      return [lowerLearningRates(settings, 0.1), ...gradientPenalty(settings)];
    case 'mode-collapse':
      return [...switchToWassersteinLoss(settings), ...raiseBatchSize(settings), ...gradientPenalty(settings)];
    case 'balanced':
    case 'warming-up':
      return [];
  }
}
