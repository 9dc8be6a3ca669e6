import { describe, expect, it } from 'vitest';
import { parseRunConfig, type RunConfigInput } from '../../src/shared/config';
import { VERDICT_CODE_METRIC, VERDICT_CODES, VERDICT_IDS, verdictFromEvent, verdictIdFromCode } from '../../src/shared/verdict';
import { balanceSettingsFromConfig, firstNonFiniteStatistic, judgeBalance, lossFamily, suggestRemedies, type BalanceSettings, type LoggedStatistics } from '../../src/main/metrics/verdict';
import { VerdictTracker } from '../../src/main/training/verdict-tracker';

/** Builds a window with a logged step every 10 steps from step 10, one per row. */
function windowOf(rows: Record<string, number>[]): LoggedStatistics[] {
  return rows.map((values, i) => ({ step: 10 * (i + 1), values }));
}

function repeat(row: Record<string, number>, count = 10): Record<string, number>[] {
  return Array.from({ length: count }, () => ({ ...row }));
}

const NS: BalanceSettings = { loss: 'ns', learningRateD: 1e-3, learningRateG: 1e-3, nD: 1, nG: 1, batchSize: 64, beta1D: 0.5, beta1G: 0.5 };
const MINIMAX_FAST_D: BalanceSettings = { ...NS, loss: 'minimax', learningRateD: 1e-3, learningRateG: 1e-4, nD: 5 };
const WGAN_GP: BalanceSettings = { loss: 'wgan-gp', learningRateD: 1e-4, learningRateG: 1e-4, nD: 5, nG: 1, batchSize: 64, beta1D: 0.5, beta1G: 0.5, lossPenaltyWeight: 10 };

const BALANCED_ROW = { lossD: 1.38, lossG: 0.7, dReal: 0.55, dFake: 0.45, accReal: 0.6, accFake: 0.55, gradNormD: 1, gradNormG: 1 };
const DOMINATED_ROW = { lossD: 0.05, lossG: -0.01, dReal: 0.98, dFake: 0.01, accReal: 0.99, accFake: 0.98, gradNormD: 0.5, gradNormG: 0.4 };

function config(input: RunConfigInput) {
  const result = parseRunConfig(input);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

describe('judgeBalance', () => {
  it('calls a steady window balanced', () => {
    const judgement = judgeBalance(windowOf(repeat(BALANCED_ROW)), NS);

    expect(judgement.id).toBe('balanced');
    expect(judgement.evidence.window).toEqual([10, 100]);
    expect(judgement.evidence.accReal).toBe(0.6);
    expect(judgement.evidence.dFake).toBe(0.45);
    expect(judgement.suggestions).toEqual([]);
  });

  it('reports warming-up below three logged steps', () => {
    const judgement = judgeBalance(windowOf(repeat(DOMINATED_ROW, 2)), NS);

    expect(judgement.id).toBe('warming-up');
    expect(judgement.evidence.window).toEqual([10, 20]);
  });

  it('rejects an empty window', () => {
    expect(() => judgeBalance([], NS)).toThrow(/window is empty/);
  });

  it('flags D dominating with its evidence', () => {
    const judgement = judgeBalance(windowOf(repeat(DOMINATED_ROW)), MINIMAX_FAST_D, { earlyGradNormG: 0.6 });

    expect(judgement.id).toBe('d-dominating');
    expect(judgement.evidence).toMatchObject({ window: [10, 100], accReal: 0.99, accFake: 0.98, dFake: 0.01, gradNormG: 0.4 });
    expect(judgement.message).toBe('D is winning over steps 10–100: it classifies 99% of real and 98% of generated examples correctly, and D(G(z)) averages 0.01.');
  });

  it('does not flag D dominating when D(G(z)) is not near 0', () => {
    const judgement = judgeBalance(windowOf(repeat({ ...DOMINATED_ROW, dFake: 0.3 })), NS);

    expect(judgement.id).toBe('balanced');
  });

  it('flags a vanishing G gradient against its early norm', () => {
    const judgement = judgeBalance(windowOf(repeat({ ...DOMINATED_ROW, gradNormG: 1e-4 })), MINIMAX_FAST_D, { earlyGradNormG: 0.5 });

    expect(judgement.id).toBe('vanishing-g-gradient');
    // 1e-4 / 0.5 = 2e-4 of the early norm.
    expect(judgement.evidence.gradNormGFractionOfEarly).toBeCloseTo(2e-4, 10);
    expect(judgement.message).toMatch(/^G's gradient is vanishing over steps 10–100: ‖∇G‖ is 1e-4, 0% of its early 0.5/);
  });

  it('flags a vanishing G gradient against D’s norm', () => {
    const judgement = judgeBalance(windowOf(repeat({ ...DOMINATED_ROW, gradNormG: 0.004, gradNormD: 1 })), NS);

    expect(judgement.id).toBe('vanishing-g-gradient');
    expect(judgement.evidence.gradNormGFractionOfD).toBeCloseTo(0.004, 10);
  });

  it('flags a vanishing G gradient from saturated logits', () => {
    const judgement = judgeBalance(windowOf(repeat({ ...DOMINATED_ROW, dSaturated: 0.95 })), MINIMAX_FAST_D);

    expect(judgement.id).toBe('vanishing-g-gradient');
    expect(judgement.evidence.dSaturated).toBe(0.95);
    expect(judgement.message).toMatch(/95% of generated examples saturate D's output/);
  });

  it('ignores saturated logits under the non-saturating loss', () => {
    const judgement = judgeBalance(windowOf(repeat({ ...DOMINATED_ROW, dSaturated: 0.95 })), NS);

    expect(judgement.id).toBe('d-dominating');
  });

  it('needs D dominating before a tiny G gradient counts', () => {
    const judgement = judgeBalance(windowOf(repeat({ ...BALANCED_ROW, gradNormG: 1e-5 })), NS, { earlyGradNormG: 1 });

    expect(judgement.id).toBe('balanced');
  });

  it('flags G dominating when D rates fakes above reals', () => {
    const judgement = judgeBalance(windowOf(repeat({ ...BALANCED_ROW, accFake: 0.4, dReal: 0.45, dFake: 0.6 })), NS);

    expect(judgement.id).toBe('g-dominating');
    expect(judgement.message).toBe('G is winning over steps 10–100: D classifies only 40% of generated examples correctly and rates them at 0.6 against 0.45 for real ones.');
  });

  it('flags oscillating losses with the swing and reversals', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ ...BALANCED_ROW, lossD: i % 2 === 0 ? 0.5 : 2 }));
    const judgement = judgeBalance(windowOf(rows), NS);

    expect(judgement.id).toBe('oscillating');
    expect(judgement.evidence.oscillatingLoss).toBe('lossD');
    // Every change is 1.5; the scale is 2·ln 2 = 1.3863 because the mean magnitude 1.25 is smaller.
    expect(judgement.evidence.relativeSwing).toBeCloseTo(1.5 / (2 * Math.LN2), 3);
    expect(judgement.evidence.reversalFraction).toBe(1);
  });

  it('does not call a steady trend oscillating', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ ...BALANCED_ROW, lossD: 0.2 * (i + 1) }));

    expect(judgeBalance(windowOf(rows), NS).id).toBe('balanced');
  });

  it('does not call small noise around the equilibrium loss oscillating', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ ...BALANCED_ROW, lossD: i % 2 === 0 ? 1.3 : 1.45 }));

    expect(judgeBalance(windowOf(rows), NS).id).toBe('balanced');
  });

  it('reports divergence with the first non-finite term', () => {
    const rows = [...repeat(BALANCED_ROW, 9), { ...BALANCED_ROW, gradNormD: Infinity, lossG: NaN }];
    const judgement = judgeBalance(windowOf(rows), NS);

    expect(judgement.id).toBe('diverged');
    expect(judgement.evidence).toMatchObject({ window: [100, 100], term: 'lossG', value: 'NaN', lossD: 1.38 });
    expect(judgement.message).toBe('Training diverged: lossG became NaN at step 100.');
  });

  it('reports divergence even during warm-up', () => {
    expect(judgeBalance(windowOf([{ ...BALANCED_ROW, lossD: -Infinity }]), NS).id).toBe('diverged');
  });

  it('reads LSGAN outputs against their targets', () => {
    const lsgan = { ...NS, loss: 'lsgan' };
    const dominated = judgeBalance(windowOf(repeat({ ...DOMINATED_ROW, dReal: 0.95, dFake: 0.05 })), lsgan);
    const calm = judgeBalance(windowOf(repeat({ ...BALANCED_ROW, lossD: 0.25, lossG: 0.13, dReal: 0.55, dFake: 0.45 })), lsgan);

    expect(dominated.id).toBe('d-dominating');
    expect(calm.id).toBe('balanced');
  });
});

describe('judgeBalance with a Wasserstein critic', () => {
  const critic = (gap: number, extra: Record<string, number> = {}) => ({ lossD: -gap + 0.1, lossG: -0.5, dReal: 0.5 + gap, dFake: 0.5, accReal: 1, accFake: 0, gradNormD: 2, gradNormG: 2, wassersteinEstimate: gap, gradientPenalty: 0.01, ...extra });

  it('calls a steady positive gap balanced despite accuracy', () => {
    const judgement = judgeBalance(windowOf(repeat(critic(1))), WGAN_GP);

    expect(judgement.id).toBe('balanced');
    expect(judgement.message).toBe('Balanced over steps 10–100: Wasserstein estimate 1, ‖∇D‖ 2, ‖∇G‖ 2.');
  });

  it('flags G dominating when the gap stays at or below 0', () => {
    const judgement = judgeBalance(windowOf(repeat(critic(-0.3))), WGAN_GP);

    expect(judgement.id).toBe('g-dominating');
    expect(judgement.evidence.criticGapNonPositiveFraction).toBe(1);
  });

  it('flags a steadily widening gap as D dominating', () => {
    const rows = Array.from({ length: 10 }, (_, i) => critic(0.2 * (i + 1)));
    const judgement = judgeBalance(windowOf(rows), WGAN_GP);

    expect(judgement.id).toBe('d-dominating');
    // The gap rises from 0.2 to 2, by 1.8.
    expect(judgement.evidence.criticGapRise).toBeCloseTo(1.8, 6);
    expect(judgement.evidence.criticGapRisingFraction).toBe(1);
  });

  it('ignores a gap rising from below 0 while the critic learns', () => {
    const rows = Array.from({ length: 10 }, (_, i) => critic(-0.8 + 0.2 * i));

    expect(judgeBalance(windowOf(rows), WGAN_GP).id).toBe('balanced');
  });

  it('measures a critic loss near 0 against the gap', () => {
    const rows = Array.from({ length: 10 }, (_, i) => critic(1, { lossD: i % 2 === 0 ? -0.1 : 0.1 }));

    expect(judgeBalance(windowOf(rows), WGAN_GP).id).toBe('balanced');
  });

  it('falls back to dReal − dFake without a Wasserstein estimate', () => {
    const rows = repeat({ lossD: 0.3, lossG: 0.5, dReal: -0.2, dFake: 0.1, accReal: 0.4, accFake: 0.3, gradNormD: 1, gradNormG: 1 });

    expect(judgeBalance(windowOf(rows), { ...WGAN_GP, loss: 'wgan' }).id).toBe('g-dominating');
  });
});

describe('suggestRemedies', () => {
  const ids = (settings: BalanceSettings, id: Parameters<typeof suggestRemedies>[0]) => suggestRemedies(id, settings).map((s) => s.id);

  it('words D dominating for a fast minimax D', () => {
    const suggestions = suggestRemedies('d-dominating', MINIMAX_FAST_D);

    expect(suggestions[0]).toEqual({ id: 'lower-lr-d', text: "Lower D's learning rate from 1e-3 to 5e-4.", patch: { optimizerD: { learningRate: 5e-4 } } });
    expect(suggestions.find((s) => s.id === 'lower-n-d')?.patch).toEqual({ nD: 2 });
    expect(suggestions.find((s) => s.id === 'switch-to-ns')?.patch).toEqual({ loss: { kind: 'ns' } });
  });

  it('never suggests ns to a run that uses it', () => {
    expect(ids(NS, 'd-dominating')).not.toContain('switch-to-ns');
    expect(ids(NS, 'vanishing-g-gradient')).not.toContain('switch-to-ns');
    expect(ids({ ...NS, nD: 1 }, 'd-dominating')).not.toContain('lower-n-d');
  });

  it('puts the non-saturating loss first for a vanishing minimax gradient', () => {
    expect(ids(MINIMAX_FAST_D, 'vanishing-g-gradient')[0]).toBe('switch-to-ns');
  });

  it('strengthens D when G dominates', () => {
    const suggestions = suggestRemedies('g-dominating', { ...NS, nG: 2 });

    expect(suggestions.find((s) => s.id === 'raise-lr-d')?.patch).toEqual({ optimizerD: { learningRate: 2e-3 } });
    expect(suggestions.find((s) => s.id === 'raise-n-d')?.patch).toEqual({ nD: 2 });
    expect(suggestions.find((s) => s.id === 'lower-n-g')?.patch).toEqual({ nG: 1 });
  });

  it('raises a Wasserstein critic to five updates', () => {
    expect(suggestRemedies('g-dominating', { ...WGAN_GP, nD: 1 }).find((s) => s.id === 'raise-n-d')?.patch).toEqual({ nD: 5 });
  });

  it('offers config patches only for fields the config has', () => {
    const withoutFields = suggestRemedies('d-dominating', NS);
    const withFields = suggestRemedies('d-dominating', { ...NS, realLabel: 1, instanceNoiseStd: 0, penaltyKind: 'none', penaltyWeight: 10, spectralNormD: false });
    const smoothed = suggestRemedies('d-dominating', { ...NS, realLabel: 0.9 });

    expect(withoutFields.find((s) => s.id === 'smooth-real-labels')?.patch).toBeUndefined();
    expect(withFields.find((s) => s.id === 'smooth-real-labels')?.patch).toEqual({ realLabel: 0.9 });
    expect(withFields.find((s) => s.id === 'add-instance-noise')?.patch).toEqual({ instanceNoise: { std: 0.1 } });
    expect(withFields.find((s) => s.id === 'add-gradient-penalty')?.patch).toEqual({ penalty: { kind: 'r1', weight: 10 } });
    expect(withFields.find((s) => s.id === 'add-spectral-norm')?.patch).toEqual({ spectralNorm: { discriminator: true } });
    expect(smoothed.map((s) => s.id)).not.toContain('smooth-real-labels');
  });

  it('doubles an existing gradient penalty instead of adding one', () => {
    const suggestion = suggestRemedies('oscillating', WGAN_GP).find((s) => s.id === 'strengthen-gradient-penalty');

    expect(suggestion?.patch).toEqual({ loss: { gradientPenaltyWeight: 20 } });
  });

  it('cuts both learning rates tenfold after divergence', () => {
    const [first] = suggestRemedies('diverged', NS);

    expect(first.id).toBe('lower-learning-rates');
    expect(first.patch).toEqual({ optimizerD: { learningRate: 1e-4 }, optimizerG: { learningRate: 1e-4 } });
  });

  it('suggests lowering β1 only above 0.5', () => {
    expect(ids({ ...NS, beta1D: 0.9 }, 'oscillating')).toContain('lower-beta1');
    expect(ids(NS, 'oscillating')).not.toContain('lower-beta1');
  });

  it('suggests nothing for balanced and warming-up', () => {
    expect(suggestRemedies('balanced', NS)).toEqual([]);
    expect(suggestRemedies('warming-up', NS)).toEqual([]);
  });
});

describe('verdict helpers', () => {
  it('gives every verdict a distinct code that maps back', () => {
    const codes = VERDICT_IDS.map((id) => VERDICT_CODES[id]);

    expect(new Set(codes).size).toBe(VERDICT_IDS.length);
    for (const id of VERDICT_IDS) expect(verdictIdFromCode(VERDICT_CODES[id])).toBe(id);
    expect(verdictIdFromCode(99)).toBeNull();
  });

  it('sorts loss kinds into families', () => {
    expect(['minimax', 'ns', 'hinge', 'ragan', 'lsgan', 'wgan', 'wgan-gp'].map(lossFamily)).toEqual(['logistic', 'logistic', 'logistic', 'logistic', 'least-squares', 'critic', 'critic']);
  });

  it('names losses first among non-finite statistics', () => {
    expect(firstNonFiniteStatistic({ accReal: NaN, gradNormD: Infinity, lossD: 1 })).toBe('gradNormD');
    expect(firstNonFiniteStatistic({ accReal: NaN, lossD: 1 })).toBe('accReal');
    expect(firstNonFiniteStatistic({ lossD: 1 })).toBeNull();
  });

  it('reads settings from a parsed config', () => {
    const settings = balanceSettingsFromConfig(config({ loss: { kind: 'wgan-gp', gradientPenaltyWeight: 5 }, optimizerD: { learningRate: 3e-4 }, optimizerG: { kind: 'sgd', learningRate: 1e-2 }, nD: 4, batchSize: 32 }));

    expect(settings).toMatchObject({ loss: 'wgan-gp', learningRateD: 3e-4, learningRateG: 1e-2, nD: 4, nG: 1, batchSize: 32, beta1D: 0.5, lossPenaltyWeight: 5 });
    expect(settings.beta1G).toBeUndefined();
  });

  it('reads a verdict back from its event', () => {
    const data = { id: 'd-dominating', evidence: { window: [10, 100], accReal: 0.99 }, suggestions: [{ id: 'lower-lr-d', text: 'Lower it.' }] };
    const verdict = verdictFromEvent({ kind: 'verdict', step: 100, message: 'D is winning.', data });

    expect(verdict).toEqual({ step: 100, message: 'D is winning.', ...data });
    expect(verdictFromEvent({ kind: 'info', step: 100, message: 'x', data })).toBeNull();
    expect(verdictFromEvent({ kind: 'verdict', step: 100, message: 'x', data: { id: 'unknown' } })).toBeNull();
  });
});

describe('VerdictTracker', () => {
  function tracked(input: RunConfigInput = {}) {
    const events: { step: number; kind: string; message: string; data: Record<string, unknown> }[] = [];
    const tracker = new VerdictTracker(config(input), (step, kind, message, data) => events.push({ step, kind, message, data }));
    const codes: number[] = [];
    const observe = (step: number, row: Record<string, number>) => {
      const point = tracker.observe(step, row);
      expect(point.name).toBe(VERDICT_CODE_METRIC);
      expect(point.step).toBe(step);
      codes.push(point.value);
    };
    return { tracker, events, codes, observe };
  }

  it('logs warm-up, then one event per change', () => {
    const { tracker, events, codes, observe } = tracked();
    for (let i = 1; i <= 5; i++) observe(10 * i, BALANCED_ROW);

    expect(codes).toEqual([0, 0, 1, 1, 1]);
    expect(events.map((e) => [e.step, e.kind, (e.data as { id: string }).id])).toEqual([[30, 'verdict', 'balanced']]);
    expect(tracker.changes).toEqual([{ step: 30, id: 'balanced' }]);
  });

  it('waits two logged steps before changing', () => {
    const { tracker, codes, observe } = tracked();
    for (let i = 1; i <= 3; i++) observe(10 * i, BALANCED_ROW);
    // At step 110 the window contains 2 balanced and 8 dominated rows, so D's balanced accuracy
    // passes 0.9 for the first time: (2·0.575 + 8·0.985) / 10 = 0.903. The verdict changes one
    // logged step later.
    for (let i = 4; i <= 30; i++) observe(10 * i, DOMINATED_ROW);

    expect(tracker.changes).toEqual([
      { step: 30, id: 'balanced' },
      { step: 120, id: 'd-dominating' },
    ]);
    expect(codes[10]).toBe(VERDICT_CODES.balanced);
    expect(codes[11]).toBe(VERDICT_CODES['d-dominating']);
    expect(tracker.verdict?.evidence.accReal).toBe(0.99);
  });

  it('switches to diverged at once and keeps it', () => {
    const { tracker, events, observe } = tracked();
    for (let i = 1; i <= 5; i++) observe(10 * i, BALANCED_ROW);
    observe(60, { ...BALANCED_ROW, lossD: NaN });

    expect(tracker.verdict?.id).toBe('diverged');
    expect(events.at(-1)?.data).toMatchObject({ id: 'diverged', evidence: { term: 'lossD', value: 'NaN' } });
    expect(events.at(-1)?.message).toBe('Training diverged: lossD became NaN at step 60.');
  });

  it('holds a raised mode collapse until cleared', () => {
    const { tracker, events, codes, observe } = tracked({ loss: { kind: 'ns' } });
    for (let i = 1; i <= 4; i++) observe(10 * i, BALANCED_ROW);
    tracker.raise(45, 'mode-collapse', { message: '2 of 8 modes covered at step 45.', evidence: { window: [45, 45], modesCovered: 2 } });
    observe(50, BALANCED_ROW);
    observe(60, BALANCED_ROW);
    tracker.clear('mode-collapse');
    observe(70, BALANCED_ROW);

    expect(events.map((e) => [e.step, (e.data as { id: string }).id])).toEqual([
      [30, 'balanced'],
      [45, 'mode-collapse'],
      [60, 'balanced'],
    ]);
    expect(codes.slice(4)).toEqual([VERDICT_CODES['mode-collapse'], VERDICT_CODES['mode-collapse'], VERDICT_CODES.balanced]);
    const raised = events[1].data as { suggestions: { id: string }[] };
    expect(raised.suggestions.map((s) => s.id)).toContain('switch-to-wgan-gp');
  });

  it('falls back at once when the alarm clears', () => {
    const { tracker, observe } = tracked({ loss: { kind: 'ns' } });
    for (let i = 1; i <= 4; i++) observe(10 * i, BALANCED_ROW);
    tracker.raise(40, 'mode-collapse', { message: 'Collapsed.', evidence: { window: [40, 40] } });
    observe(50, BALANCED_ROW);
    // The run's last evaluation clears the alarm after the last logged step was observed.
    tracker.clear('mode-collapse');

    expect(tracker.verdict?.id).toBe('balanced');
    expect(tracker.changes.at(-1)).toEqual({ step: 50, id: 'balanced' });
  });

  it('lets divergence override a raised verdict', () => {
    const { tracker, observe } = tracked();
    for (let i = 1; i <= 3; i++) observe(10 * i, BALANCED_ROW);
    tracker.raise(30, 'mode-collapse', { message: 'Collapsed.', evidence: { window: [30, 30] } });
    observe(40, { ...BALANCED_ROW, lossG: Infinity });

    expect(tracker.verdict?.id).toBe('diverged');
  });
});
