// Reproduces two known outcomes on ring8 with the MLP (two hidden layers of 128 units) and
// prints the mode-collapse indicators at every evaluation:
//   ns:      non-saturating loss, Adam (lr 1e-3, β1 0.5) for both networks, nD 1, batch 256,
//            latent 16, 5,000 steps. Expected: ≥ 7 of 8 modes covered with a high-quality
//            fraction ≥ 0.4 by step 5,000.
//   minimax: minimax loss, D's learning rate 10× G's (1e-3 vs 1e-4), nD 5, 1,500 steps.
//            Expected: at most 3 modes covered at step 1,500.
//
//   npx tsx scripts/collapse-outcomes.ts [ns|minimax] [--seed N]
import { parseArgs } from 'node:util';
import { parseRunConfig, type RunConfigInput } from '../src/shared/config';
import type { MetricPoint } from '../src/shared/run';
import { train, type TrainerHost } from '../src/main/training/trainer';

const OUTCOMES: Record<string, RunConfigInput> = {
  ns: { loss: { kind: 'ns' }, steps: 5000 },
  minimax: { loss: { kind: 'minimax' }, optimizerD: { learningRate: 1e-3 }, optimizerG: { learningRate: 1e-4 }, nD: 5, steps: 1500 },
};

const { values, positionals } = parseArgs({ allowPositionals: true, options: { seed: { type: 'string', default: '0' } } });
const names = positionals.length > 0 ? positionals : Object.keys(OUTCOMES);

for (const name of names) {
  const outcome = OUTCOMES[name];
  if (!outcome) throw new Error(`Unknown outcome "${name}": expected one of ${Object.keys(OUTCOMES).join(', ')}.`);
  const parsed = parseRunConfig({ dataset: { kind: 'ring8' }, backend: 'wasm', seed: Number(values.seed), logEvery: 50, sampleEvery: 100_000, ...outcome });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));

  const metrics = new Map<number, Record<string, number>>();
  const host: TrainerHost = {
    started: () => undefined,
    progress: () => undefined,
    metrics: (points: MetricPoint[]) => points.forEach((point) => (metrics.get(point.step) ?? metrics.set(point.step, {}).get(point.step)!)[point.name] = point.value),
    sample: () => undefined,
    event: (step, kind, message) => kind !== 'backend' && console.log(`  [${kind} @ ${step}] ${message}`),
    stopRequested: () => false,
    whenResumed: () => Promise.resolve(),
  };

  console.log(`${name} (seed ${values.seed}): ${JSON.stringify(outcome)}`);
  const result = await train(parsed.config, host);
  console.log(`  step  modes  highQuality  reverseKL  diversity  accReal  accFake  evalMs`);
  for (const [step, row] of [...metrics].sort(([a], [b]) => a - b)) {
    if (row.modesCovered === undefined) continue;
    const format = (value: number | undefined, digits: number) => (value === undefined ? '-' : value.toFixed(digits)).padStart(9);
    console.log(
      `  ${String(step).padStart(4)}  ${String(row.modesCovered).padStart(3)}/8 ${format(row.highQualityFraction, 3)}   ${format(row.reverseKL, 3)}  ${format(row.diversity, 3)} ${format(row.accReal, 2)} ${format(row.accFake, 2)} ${format(row.evalMs, 0)}`,
    );
  }
  console.log(`  ${result.status} in ${(result.durationMs / 1000).toFixed(0)} s`);
}
