// Well-known training recipes the setup form offers as presets. A preset sets the loss, the
// optimizers and the D/G update counts; it leaves the dataset, model and run length alone.
import type { LossConfig, OptimizerConfig, RunConfig } from './config';

export const PRESET_IDS = ['dcgan', 'wgan-gp', 'ttur', 'hinge'] as const;
export type PresetId = (typeof PRESET_IDS)[number];

export interface RunPreset {
  id: PresetId;
  label: string;
  /** One line for the preset's tooltip: what it sets and where the recipe comes from. */
  description: string;
  settings: Pick<RunConfig, 'loss' | 'optimizerD' | 'optimizerG' | 'nD' | 'nG'>;
}

function adam(learningRate: number, beta1: number, beta2: number): OptimizerConfig {
  return { kind: 'adam', learningRate, beta1, beta2, momentum: 0 };
}

function loss(kind: LossConfig['kind']): LossConfig {
  return { kind, gradientPenaltyWeight: 10 };
}

export const RUN_PRESETS: readonly RunPreset[] = [
  {
    id: 'dcgan',
    label: 'DCGAN',
    description: 'Non-saturating loss, Adam with learning rate 2e-4 and β1 0.5 for both networks (Radford et al. 2015).',
    settings: { loss: loss('ns'), optimizerD: adam(2e-4, 0.5, 0.999), optimizerG: adam(2e-4, 0.5, 0.999), nD: 1, nG: 1 },
  },
  {
    id: 'wgan-gp',
    label: 'WGAN-GP',
    description: 'Wasserstein loss with gradient penalty λ 10, 5 D steps per G step, Adam 1e-4 with β (0.5, 0.9) (Gulrajani et al. 2017).',
    settings: { loss: loss('wgan-gp'), optimizerD: adam(1e-4, 0.5, 0.9), optimizerG: adam(1e-4, 0.5, 0.9), nD: 5, nG: 1 },
  },
  {
    id: 'ttur',
    label: 'TTUR',
    description: 'Two time-scale update rule: D learns 4× faster than G (4e-4 against 1e-4), non-saturating loss (Heusel et al. 2017).',
    settings: { loss: loss('ns'), optimizerD: adam(4e-4, 0.5, 0.999), optimizerG: adam(1e-4, 0.5, 0.999), nD: 1, nG: 1 },
  },
  {
    id: 'hinge',
    label: 'Hinge',
    description: 'Hinge loss (Lim & Ye 2017, used by SN-GAN) with the DCGAN Adam settings: 2e-4, β1 0.5.',
    settings: { loss: loss('hinge'), optimizerD: adam(2e-4, 0.5, 0.999), optimizerG: adam(2e-4, 0.5, 0.999), nD: 1, nG: 1 },
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

/** Returns a copy of `config` with the preset's loss, optimizers and update counts. */
export function applyPreset<T extends Partial<RunConfig>>(config: T, preset: RunPreset): T {
  const { settings } = preset;
  return {
    ...config,
    loss: { ...settings.loss },
    optimizerD: { ...settings.optimizerD },
    optimizerG: { ...settings.optimizerG },
    nD: settings.nD,
    nG: settings.nG,
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

/** Returns the preset whose settings the config has exactly, or null when none matches. */
export function matchingPreset(config: Pick<RunConfig, 'loss' | 'optimizerD' | 'optimizerG' | 'nD' | 'nG'>): RunPreset | null {
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
      config.nG === settings.nG
    );
  };

  return RUN_PRESETS.find(matches) ?? null;
}
