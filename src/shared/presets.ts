// Well-known training recipes the setup form offers as presets. A preset sets the loss, the
// optimizers, the D/G update counts, the gradient penalty, spectral normalization and the
// balancing controller. It leaves the dataset, model, run length and other techniques alone.
import type { ControllerConfig, LossConfig, OptimizerConfig, PenaltyConfig, RunConfig, SpectralNormConfig } from './config';

export const PRESET_IDS = ['dcgan', 'wgan-gp', 'ttur', 'hinge', 'sn-gan', 'r1-lazy', 'rt-noise'] as const;
export type PresetId = (typeof PRESET_IDS)[number];

/** The config fields a preset sets. */
export type PresetSettings = Pick<RunConfig, 'loss' | 'optimizerD' | 'optimizerG' | 'nD' | 'nG' | 'penalty' | 'spectralNorm' | 'controller'>;

export interface RunPreset {
  id: PresetId;
  label: string;
  /** One line for the preset's tooltip: what it sets and where the recipe comes from. */
  description: string;
  settings: PresetSettings;
}

function adam(learningRate: number, beta1: number, beta2: number): OptimizerConfig {
  return { kind: 'adam', learningRate, beta1, beta2, momentum: 0 };
}

function loss(kind: LossConfig['kind']): LossConfig {
  return { kind, gradientPenaltyWeight: 10 };
}

const NO_PENALTY: PenaltyConfig = { kind: 'none', weight: 10, every: 1 };
const NO_SPECTRAL_NORM: SpectralNormConfig = { discriminator: false, generator: false };
const NO_CONTROLLER: ControllerConfig = { kind: 'none' };

/** The balancing fields of a preset that uses none of them, so applying it turns off those of an earlier preset. */
const PLAIN = { penalty: NO_PENALTY, spectralNorm: NO_SPECTRAL_NORM, controller: NO_CONTROLLER };

export const RUN_PRESETS: readonly RunPreset[] = [
  {
    id: 'dcgan',
    label: 'DCGAN',
    description: 'Non-saturating loss, Adam with learning rate 2e-4 and β1 0.5 for both networks (Radford et al. 2015).',
    settings: { loss: loss('ns'), optimizerD: adam(2e-4, 0.5, 0.999), optimizerG: adam(2e-4, 0.5, 0.999), nD: 1, nG: 1, ...PLAIN },
  },
  {
    id: 'wgan-gp',
    label: 'WGAN-GP',
    description:
      'Wasserstein loss with gradient penalty λ 10 on interpolates (loss wgan-gp), 5 D steps per G step, Adam 1e-4 with β (0.5, 0.9) (Gulrajani et al. 2017).',
    settings: { loss: loss('wgan-gp'), optimizerD: adam(1e-4, 0.5, 0.9), optimizerG: adam(1e-4, 0.5, 0.9), nD: 5, nG: 1, ...PLAIN },
  },
  {
    id: 'ttur',
    label: 'TTUR',
    description: 'Two time-scale update rule: D learns 4× faster than G (4e-4 against 1e-4), non-saturating loss (Heusel et al. 2017).',
    settings: { loss: loss('ns'), optimizerD: adam(4e-4, 0.5, 0.999), optimizerG: adam(1e-4, 0.5, 0.999), nD: 1, nG: 1, ...PLAIN },
  },
  {
    id: 'hinge',
    label: 'Hinge',
    description: 'Hinge loss (Lim & Ye 2017, used by SN-GAN) with the DCGAN Adam settings: 2e-4, β1 0.5.',
    settings: { loss: loss('hinge'), optimizerD: adam(2e-4, 0.5, 0.999), optimizerG: adam(2e-4, 0.5, 0.999), nD: 1, nG: 1, ...PLAIN },
  },
  {
    id: 'sn-gan',
    label: 'SN-GAN',
    description: 'Spectral normalization of D with the hinge loss, Adam 2e-4 with β (0.5, 0.999) and 1 D step per G step (Miyato et al. 2018).',
    settings: {
      loss: loss('hinge'),
      optimizerD: adam(2e-4, 0.5, 0.999),
      optimizerG: adam(2e-4, 0.5, 0.999),
      nD: 1,
      nG: 1,
      ...PLAIN,
      spectralNorm: { discriminator: true, generator: false },
    },
  },
  {
    id: 'r1-lazy',
    label: 'R1, lazy',
    description:
      'Non-saturating loss with the R1 penalty γ 10 on real examples (Mescheder et al. 2018), computed every 16th D update as in StyleGAN2 (Karras et al. 2020), Adam with β (0, 0.99).',
    settings: {
      loss: loss('ns'),
      optimizerD: adam(2e-4, 0, 0.99),
      optimizerG: adam(2e-4, 0, 0.99),
      nD: 1,
      nG: 1,
      ...PLAIN,
      penalty: { kind: 'r1', weight: 10, every: 16 },
    },
  },
  {
    id: 'rt-noise',
    label: 'r_t noise',
    description:
      'The r_t controller of StyleGAN2-ADA (Karras et al. 2020, target 0.6, adjusted every 4 steps), driving instance noise instead of augmentation, with the DCGAN Adam settings.',
    settings: {
      loss: loss('ns'),
      optimizerD: adam(2e-4, 0.5, 0.999),
      optimizerG: adam(2e-4, 0.5, 0.999),
      nD: 1,
      nG: 1,
      ...PLAIN,
      controller: { kind: 'rt', target: 0.6, interval: 4, rampSteps: 500 },
    },
  },
];

/** Returns the preset with this id; throws when there is none. */
export function findPreset(id: string): RunPreset {
  const preset = RUN_PRESETS.find((candidate) => candidate.id === id);
  if (!preset) {
    throw new Error(`Unknown preset "${id}": expected one of ${PRESET_IDS.join(', ')}.`);
  }

  return preset;
}

/** Returns a copy of `config` with the preset's settings. */
export function applyPreset<T extends Partial<RunConfig>>(config: T, preset: RunPreset): T {
  const { settings } = preset;
  return {
    ...config,
    loss: { ...settings.loss },
    optimizerD: { ...settings.optimizerD },
    optimizerG: { ...settings.optimizerG },
    nD: settings.nD,
    nG: settings.nG,
    penalty: { ...settings.penalty },
    spectralNorm: { ...settings.spectralNorm },
    controller: { ...settings.controller },
  };
}

function sameOptimizer(a: OptimizerConfig, b: OptimizerConfig): boolean {
  return (
    a.kind === b.kind &&
    a.learningRate === b.learningRate &&
    a.beta1 === b.beta1 &&
    a.beta2 === b.beta2 &&
    a.momentum === b.momentum
  );
}

function samePenalty(a: PenaltyConfig, b: PenaltyConfig): boolean {
  return a.kind === b.kind && (a.kind === 'none' || (a.weight === b.weight && a.every === b.every));
}

function sameController(a: ControllerConfig, b: ControllerConfig): boolean {
  const fields = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...fields].every((field) => (a as Record<string, unknown>)[field] === (b as Record<string, unknown>)[field]);
}

/** Returns the preset whose settings the config has exactly, or null when none matches. A config
 * without the balancing fields matches as if they were off. */
export function matchingPreset(
  config: Pick<RunConfig, 'loss' | 'optimizerD' | 'optimizerG' | 'nD' | 'nG'> & Partial<Pick<RunConfig, 'penalty' | 'spectralNorm' | 'controller'>>,
): RunPreset | null {
  const penalty = config.penalty ?? NO_PENALTY;
  const spectralNorm = config.spectralNorm ?? NO_SPECTRAL_NORM;
  const controller = config.controller ?? NO_CONTROLLER;

  const matches = (preset: RunPreset): boolean => {
    const { settings } = preset;
    const sameLoss =
      config.loss.kind === settings.loss.kind &&
      (config.loss.kind !== 'wgan-gp' || config.loss.gradientPenaltyWeight === settings.loss.gradientPenaltyWeight);
    return (
      sameLoss &&
      sameOptimizer(config.optimizerD, settings.optimizerD) &&
      sameOptimizer(config.optimizerG, settings.optimizerG) &&
      config.nD === settings.nD &&
      config.nG === settings.nG &&
      samePenalty(penalty, settings.penalty) &&
      spectralNorm.discriminator === settings.spectralNorm.discriminator &&
      spectralNorm.generator === settings.spectralNorm.generator &&
      sameController(controller, settings.controller)
    );
  };

  return RUN_PRESETS.find(matches) ?? null;
}
