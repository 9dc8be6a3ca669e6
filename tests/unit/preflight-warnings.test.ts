// Pre-flight warnings on real configs, datasets and models.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { loadDataset, type LoadedDataset } from '../../src/main/data/dataset';
import { selectBackend } from '../../src/main/training/backend';
import { buildDiscriminator } from '../../src/main/training/models';
import { preflightWarnings } from '../../src/main/training/preflight';
import { parseRunConfig, type RunConfig, type RunConfigInput } from '../../src/shared/config';

function config(input: RunConfigInput): RunConfig {
  const result = parseRunConfig(input);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

let ring8: LoadedDataset;

/** Returns the warnings for a config on ring8 with the config's own D. */
function warningsFor(input: RunConfigInput): string[] {
  const runConfig = config(input);
  const discriminator = buildDiscriminator(runConfig.model, [2], 1);
  const warnings = preflightWarnings(runConfig, ring8, discriminator);
  discriminator.dispose();
  return warnings;
}

describe('pre-flight warnings', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
    ring8 = await loadDataset({ kind: 'ring8', modes: 8, radius: 2, std: 0.02 }, 0);
  });

  it('default config has none', () => {
    expect(warningsFor({})).toEqual([]);
  });

  it('label smoothing with a Wasserstein loss', () => {
    expect(warningsFor({ loss: { kind: 'wgan' }, realLabel: 0.9 })).toEqual([
      'realLabel 0.9 has no effect: label smoothing applies to the minimax and ns losses only, and a Wasserstein critic has no target labels. Set realLabel to 1.',
    ]);
    expect(warningsFor({ loss: { kind: 'hinge' }, realLabel: 0.9 })[0]).toMatch(/and loss hinge has no label to smooth/);
    expect(warningsFor({ loss: { kind: 'ns' }, realLabel: 0.9 })).toEqual([]);
  });

  it('batch norm in a penalized critic', () => {
    const wganGp = warningsFor({ loss: { kind: 'wgan-gp' }, model: { discriminator: { normalization: 'batch' } } });
    const r1 = warningsFor({ penalty: { kind: 'r1' }, model: { discriminator: { normalization: 'batch' } } });

    expect(wganGp).toHaveLength(1);
    expect(wganGp[0]).toMatch(/^The wgan-gp gradient penalty is computed per example, but batch normalization in D .* use layer normalization in D/);
    expect(r1[0]).toMatch(/^The r1 gradient penalty/);
    expect(warningsFor({ penalty: { kind: 'r1' }, model: { discriminator: { normalization: 'layer' } } })).toEqual([]);
  });

  it('clipping and a penalty together', () => {
    expect(warningsFor({ loss: { kind: 'wgan' }, penalty: { kind: 'wgan-gp' } })).toEqual([
      'Loss wgan clips D\'s weights to ±0.01 and the wgan-gp penalty constrains D as well; use one of them (loss wgan-gp without clipping, or penalty "none").',
    ]);
    expect(warningsFor({ loss: { kind: 'wgan-gp' }, penalty: { kind: 'r2' } })[0]).toMatch(/^Loss wgan-gp with penalty r2 applies r2 instead of the WGAN-GP penalty/);
  });

  it('EMA horizon longer than the run', () => {
    const warnings = warningsFor({ steps: 300, emaGenerator: { enabled: true, decay: 0.999 } });

    expect(warnings).toEqual([
      "The EMA generator with decay 0.999 averages over about 1000 G updates, more than the run's 300 steps, so its samples stay close to the untrained G; lower the decay (e.g. 0.967).",
    ]);
    expect(warningsFor({ steps: 5000, emaGenerator: { enabled: true, decay: 0.999 } })).toEqual([]);
  });

  it('controller settings that clash', () => {
    expect(warningsFor({ controller: { kind: 'rt' }, instanceNoise: { std: 0.2 } })[0]).toMatch(/^The rt controller sets the instance-noise std itself, starting from 0\.2/);
    expect(warningsFor({ controller: { kind: 'step-ratio', maxND: 3 }, nD: 5 })[0]).toBe(
      'nD 5 is above controller.maxND 3: the step-ratio controller starts at 5 but never raises nD above 3 again.',
    );
  });

  it('step schedule that never decays', () => {
    expect(warningsFor({ steps: 500, lrSchedule: { generator: { kind: 'step', stepSize: 1000 } } })).toEqual([
      "The generator's step schedule decays every 1000 steps, but the run has only 500, so the learning rate never changes; lower lrSchedule.generator.stepSize.",
    ]);
  });

  it('bounded critic output with a Wasserstein loss', () => {
    // Our builders never end D in a sigmoid, so this D is built by hand to stand for one that does.
    const bounded = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1, activation: 'sigmoid' })] });

    const warnings = preflightWarnings(config({ loss: { kind: 'wgan-gp' } }), ring8, bounded);

    expect(warnings).toEqual(["Loss wgan-gp needs an unbounded critic, but D's output passes through sigmoid; remove that activation so D returns raw scores."]);
    bounded.dispose();
  });

  it('real images within tanh range pass', async () => {
    const fashion = await loadDataset({ kind: 'fashion-mnist', split: 'test' }, 0);
    const runConfig = config({ dataset: { kind: 'fashion-mnist', split: 'test' }, model: { architecture: 'dcgan' } });
    const discriminator = buildDiscriminator(runConfig.model, [28, 28, 1], 1);

    expect(preflightWarnings(runConfig, fashion, discriminator)).toEqual([]);
    discriminator.dispose();
  });

  it('images outside tanh range', async () => {
    // The loaders always scale pixels to [−1, 1], so this dataset wraps real Fashion-MNIST and
    // returns raw 0–255 pixels, standing in for data that was not scaled.
    const fashion = await loadDataset({ kind: 'fashion-mnist', split: 'test' }, 0);
    const unscaled: LoadedDataset = { ...fashion, realBatch: (n) => fashion.realBatch(n).map((value) => ((value + 1) / 2) * 255) };
    const runConfig = config({ dataset: { kind: 'fashion-mnist', split: 'test' }, model: { architecture: 'dcgan' } });
    const discriminator = buildDiscriminator(runConfig.model, [28, 28, 1], 1);

    const warnings = preflightWarnings(runConfig, unscaled, discriminator);

    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^The real images range from 0 to 255, but G ends in tanh and can only output −1 to 1/);
    discriminator.dispose();
  });
});
