// The run configuration: one zod schema that the CLI, IPC, HTTP and the setup form share.
// Pure TypeScript: no Node or Electron imports, so the renderer can use it too.
import { z } from 'zod';
import { configIssueMessage } from './config-messages';

export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export const BACKEND_CHOICES = ['auto', ...BACKEND_NAMES] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export const LOSS_KINDS = ['minimax', 'ns', 'wgan', 'wgan-gp', 'hinge', 'lsgan', 'ragan'] as const;
export type LossKind = (typeof LOSS_KINDS)[number];

export const OPTIMIZER_KINDS = ['adam', 'rmsprop', 'sgd'] as const;
export type OptimizerKind = (typeof OPTIMIZER_KINDS)[number];

export const NORMALIZATIONS = ['batch', 'layer', 'none'] as const;
export type Normalization = (typeof NORMALIZATIONS)[number];

export const ARCHITECTURES = ['mlp', 'dcgan'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

const positiveInt = z.number().int().positive();
const finitePositive = z.number().finite().positive();

/** 8 Gaussians evenly spaced on a circle; the VEEGAN / PacGAN benchmark. */
export const ring8Schema = z.strictObject({
  kind: z.literal('ring8'),
  modes: positiveInt.max(1000).default(8),
  radius: finitePositive.default(2),
  std: finitePositive.default(0.02),
});

/** A square grid of Gaussians (5 × 5 by default) centred on the origin. */
export const grid25Schema = z.strictObject({
  kind: z.literal('grid25'),
  side: positiveInt.max(100).default(5),
  spacing: finitePositive.default(2),
  std: finitePositive.default(0.05),
});

/** Fashion-MNIST from Debian's dataset-fashion-mnist package, or from `dir` when given. */
export const fashionMnistSchema = z.strictObject({
  kind: z.literal('fashion-mnist'),
  dir: z.string().min(1).optional(),
  split: z.enum(['train', 'test']).default('train'),
});

/** Any IDX image file (MNIST format, gzip-compressed or plain) with an optional label file. */
export const idxSchema = z.strictObject({
  kind: z.literal('idx'),
  imagesPath: z.string().min(1),
  labelsPath: z.string().min(1).optional(),
});

export const datasetSchema = z.discriminatedUnion('kind', [ring8Schema, grid25Schema, fashionMnistSchema, idxSchema]);
export type DatasetConfig = z.infer<typeof datasetSchema>;
export type DatasetKind = DatasetConfig['kind'];

/** One network's shape. For the MLP, `width` is the hidden units and `depth` the hidden layers.
 * For the DCGAN, `width` is the base filter count (G: 2w → w → 1 channels, D: w → 2w) and
 * `depth` the extra stride-1 3×3 convolutions added at each resolution. */
export const networkSchema = z.strictObject({
  width: positiveInt.max(4096),
  depth: z.number().int().min(0).max(16),
  normalization: z.enum(NORMALIZATIONS),
});
export type NetworkConfig = z.infer<typeof networkSchema>;

/** Network defaults per architecture: the MLP-2D and DCGAN-small shapes of the project's benchmarks. */
export const NETWORK_DEFAULTS: Record<Architecture, { generator: NetworkConfig; discriminator: NetworkConfig; latentSize: number }> = {
  mlp: {
    latentSize: 16,
    generator: { width: 128, depth: 2, normalization: 'none' },
    discriminator: { width: 128, depth: 2, normalization: 'none' },
  },
  dcgan: {
    latentSize: 64,
    generator: { width: 32, depth: 0, normalization: 'batch' },
    discriminator: { width: 32, depth: 0, normalization: 'none' },
  },
};

function fillModelDefaults(raw: unknown): unknown {
  if (raw === undefined) raw = {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;

  const model = raw as Record<string, unknown>;
  const architecture = (model.architecture ?? 'mlp') as Architecture;
  const defaults = NETWORK_DEFAULTS[architecture];
  if (!defaults) return raw;

  const fillNetwork = (value: unknown, fallback: NetworkConfig): unknown =>
    value !== null && typeof value === 'object' && !Array.isArray(value) ? { ...fallback, ...value } : (value ?? fallback);
  return {
    ...model,
    architecture,
    latentSize: model.latentSize ?? defaults.latentSize,
    generator: fillNetwork(model.generator, defaults.generator),
    discriminator: fillNetwork(model.discriminator, defaults.discriminator),
  };
}

export const modelSchema = z.preprocess(
  fillModelDefaults,
  z.strictObject({
    architecture: z.enum(ARCHITECTURES),
    latentSize: positiveInt.max(1024),
    generator: networkSchema,
    discriminator: networkSchema,
  }),
);
export type ModelConfig = z.infer<typeof modelSchema>;

export const optimizerSchema = z.strictObject({
  kind: z.enum(OPTIMIZER_KINDS).default('adam'),
  learningRate: finitePositive.max(10).default(2e-4),
  /** Adam's β1 and β2. */
  beta1: z.number().min(0).lt(1).default(0.5),
  beta2: z.number().min(0).lt(1).default(0.999),
  /** Momentum for sgd and rmsprop. */
  momentum: z.number().min(0).lt(1).default(0),
});
export type OptimizerConfig = z.infer<typeof optimizerSchema>;

export const lossSchema = z.strictObject({
  kind: z.enum(LOSS_KINDS).default('ns'),
  /** λ of the WGAN-GP gradient penalty (Gulrajani et al. 2017 use 10). */
  gradientPenaltyWeight: z.number().min(0).finite().default(10),
});
export type LossConfig = z.infer<typeof lossSchema>;

// ── Balancing techniques ──────────────────────────────────────────────────────────────────
// Fields for the loss-independent balancing techniques: weight clipping, label smoothing,
// gradient penalties, spectral normalization, feature matching, instance noise, the EMA
// generator, learning-rate schedules and the adaptive controllers. Every default leaves
// training as it is without them.

export const PENALTY_KINDS = ['none', 'wgan-gp', 'r1', 'r2'] as const;
export type PenaltyKind = (typeof PENALTY_KINDS)[number];

/** A gradient penalty on D, added to D's loss whatever the loss family. */
export const penaltySchema = z.strictObject({
  /** `none` (default); `wgan-gp`: λ·E[(‖∇D(x̂)‖ − 1)²] on real/generated interpolates x̂
   * (Gulrajani et al. 2017); `r1`: γ/2·E‖∇D(x)‖² on real examples (Mescheder et al. 2018);
   * `r2`: γ/2·E‖∇D(x)‖² on generated examples. With `none` and loss `wgan-gp`, the WGAN-GP
   * penalty applies with weight `loss.gradientPenaltyWeight`, as it always did. */
  kind: z.enum(PENALTY_KINDS).default('none'),
  /** λ for wgan-gp, γ for r1 and r2. At least 0; default 10. */
  weight: z.number().min(0).finite().default(10),
  /** Lazy regularization (Karras et al. 2020, StyleGAN2): the penalty is computed on every
   * `every`-th D update only and multiplied by `every` there. 1 to 1000; default 1 (each update). */
  every: positiveInt.max(1000).default(1),
});
export type PenaltyConfig = z.infer<typeof penaltySchema>;

/** Spectral normalization (Miyato et al. 2018) of every dense and convolution layer of a network. */
export const spectralNormSchema = z.strictObject({
  /** Normalize D's layers. Default false. */
  discriminator: z.boolean().default(false),
  /** Normalize G's layers too (as in SAGAN and BigGAN). Default false. */
  generator: z.boolean().default(false),
});
export type SpectralNormConfig = z.infer<typeof spectralNormSchema>;

/** Feature matching for G (Salimans et al. 2016): G's loss becomes
 * adversarialWeight · (adversarial loss) + weight · ‖E f(x) − E f(G(z))‖², f a hidden layer of D. */
export const featureMatchingSchema = z
  .strictObject({
    /** Weight of the feature-matching term. At least 0; default 0 (off). */
    weight: z.number().min(0).finite().default(0),
    /** Weight of the adversarial loss in G's loss. At least 0; default 1. Set 0 to train G on
     * feature matching alone. */
    adversarialWeight: z.number().min(0).finite().default(1),
    /** Which hidden layer of D (the output of a hidden block's activation) is matched: 0 is the
     * first, −1 (default) the last, −2 the one before it. −64 to 63. */
    layer: z.number().int().min(-64).max(63).default(-1),
  })
  .refine((value) => value.weight > 0 || value.adversarialWeight > 0, {
    message: 'featureMatching.weight and featureMatching.adversarialWeight are both 0, so G would have no loss; set one of them above 0',
  });
export type FeatureMatchingConfig = z.infer<typeof featureMatchingSchema>;

export const NOISE_SCHEDULES = ['linear', 'cosine', 'constant'] as const;
export type NoiseSchedule = (typeof NOISE_SCHEDULES)[number];

/** Instance noise (Sønderby et al. 2016): Gaussian noise added to every input of D, real and generated. */
export const instanceNoiseSchema = z.strictObject({
  /** Noise standard deviation at step 1, in data units. 0 to 100; default 0 (off). */
  std: z.number().min(0).max(100).finite().default(0),
  /** How the std falls to 0: `linear` (default), `cosine` (half a cosine period) or `constant`
   * (stays at `std`). The `rt` controller, when on, sets the std instead. */
  schedule: z.enum(NOISE_SCHEDULES).default('linear'),
  /** Steps until the std reaches 0; 0 (default) means the run's `steps`. */
  annealSteps: z.number().int().min(0).max(10_000_000).default(0),
});
export type InstanceNoiseConfig = z.infer<typeof instanceNoiseSchema>;

/** A copy of G whose weights are an exponential moving average of G's (Karras et al. 2018;
 * Yazıcı et al. 2019), sampled beside G at each sample step. */
export const emaGeneratorSchema = z.strictObject({
  /** Keep and sample the EMA generator. Default false. */
  enabled: z.boolean().default(false),
  /** β in w_ema ← β·w_ema + (1 − β)·w after each G update. 0 to below 1; default 0.999. */
  decay: z.number().min(0).lt(1).default(0.999),
});
export type EmaGeneratorConfig = z.infer<typeof emaGeneratorSchema>;

export const LR_SCHEDULE_KINDS = ['constant', 'linear', 'step', 'cosine'] as const;
export type LrScheduleKind = (typeof LR_SCHEDULE_KINDS)[number];

/** How one network's learning rate changes over the run, as a multiple of its optimizer's `learningRate`. */
export const lrScheduleSchema = z.strictObject({
  /** `constant` (default); `linear`: straight from 1 to `finalFraction` at the last step;
   * `cosine`: half a cosine period from 1 to `finalFraction`; `step`: × `gamma` every `stepSize` steps. */
  kind: z.enum(LR_SCHEDULE_KINDS).default('constant'),
  /** For linear and cosine: the multiple reached at the last step. 0 to 1; default 0. */
  finalFraction: z.number().min(0).max(1).default(0),
  /** For step: steps between two decays. Default 1000. */
  stepSize: positiveInt.max(10_000_000).default(1000),
  /** For step: the factor of each decay. Above 0 to 1; default 0.5. */
  gamma: z.number().gt(0).max(1).default(0.5),
});
export type LrScheduleConfig = z.infer<typeof lrScheduleSchema>;

export const lrSchedulesSchema = z.strictObject({
  discriminator: lrScheduleSchema.prefault({}),
  generator: lrScheduleSchema.prefault({}),
});

export const CONTROLLER_KINDS = ['none', 'equilibrium', 'rt', 'step-ratio'] as const;
export type ControllerKind = (typeof CONTROLLER_KINDS)[number];

/** Equilibrium control in the style of BEGAN (Berthelot et al. 2017): D's loss becomes
 * L_real + k·L_fake, and after each D update k ← clip(k + λ_k·(γ·L_real − L_G), 0, 1), where
 * L_G is D's real-side loss applied to the generated batch. Logs `k`. */
export const equilibriumControllerSchema = z.strictObject({
  kind: z.literal('equilibrium'),
  /** γ, the target ratio L_G / L_real. Above 0 to 10; default 0.5. */
  gamma: z.number().gt(0).max(10).default(0.5),
  /** λ_k, k's learning rate per D update. Above 0 to 1; default 0.001. */
  lambdaK: z.number().gt(0).max(1).default(0.001),
  /** k at step 1. 0 to 1; default 0, as in BEGAN. */
  initialK: z.number().min(0).max(1).default(0),
});

/** The r_t controller in the style of StyleGAN2-ADA (Karras et al. 2020): r_t = E[sign(D(x_real))]
 * drives the instance-noise std p up while r_t > target and down otherwise. Logs `rt` and `instanceNoiseStd`. */
export const rtControllerSchema = z.strictObject({
  kind: z.literal('rt'),
  /** Target r_t. Above −1 to below 1; default 0.6 (the ADA paper's value). */
  target: z.number().gt(-1).lt(1).default(0.6),
  /** Steps between two adjustments of p; r_t is averaged over the D updates in between. 1 to 1000; default 4. */
  interval: positiveInt.max(1000).default(4),
  /** Steps p needs to climb from 0 to 1 when every adjustment raises it. Default 500. */
  rampSteps: positiveInt.max(10_000_000).default(500),
});

/** The step-ratio controller: lowers nD while D's accuracy stays above `high` and raises it
 * while it stays below `low`, each for `window` logging steps in a row. Logs the effective `nD`. */
export const stepRatioControllerSchema = z
  .strictObject({
    kind: z.literal('step-ratio'),
    /** Accuracy (mean of accReal and accFake) above which D counts as too strong. Above 0.5 to 1; default 0.8. */
    high: z.number().gt(0.5).max(1).default(0.8),
    /** Accuracy below which D counts as too weak. 0 to below 1; default 0.55. */
    low: z.number().min(0).lt(1).default(0.55),
    /** Logging steps in a row the accuracy must stay past a threshold before nD changes. 1 to 1000; default 3. */
    window: positiveInt.max(1000).default(3),
    /** Largest nD the controller sets. 1 to 100; default 5. */
    maxND: positiveInt.max(100).default(5),
    /** At nD 1, the longest interval between two steps with a D update: 2 (default) updates D
     * every other step; 1 never skips D. 1 to 100. */
    maxSkip: positiveInt.max(100).default(2),
  })
  .refine((value) => value.low < value.high, { message: 'must be below controller.high', path: ['low'] });

export const controllerSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  equilibriumControllerSchema,
  rtControllerSchema,
  stepRatioControllerSchema,
]);
export type ControllerConfig = z.infer<typeof controllerSchema>;

/** The balancing fields of RunConfig, spread into its schema below. */
const balancingFields = {
  /** c of WGAN weight clipping (Arjovsky et al. 2017): after each D update every weight of D is
   * clipped to [−c, c]. Used by loss `wgan` only. Above 0 to 10; default 0.01. */
  wganClip: finitePositive.max(10).default(0.01),
  /** One-sided label smoothing (Salimans et al. 2016): the target for real examples in D's loss,
   * for the logistic losses `minimax` and `ns`. Above 0 to 1; default 1 (no smoothing); 0.9 is usual. */
  realLabel: z.number().gt(0).max(1).default(1),
  penalty: penaltySchema.prefault({}),
  spectralNorm: spectralNormSchema.prefault({}),
  featureMatching: featureMatchingSchema.prefault({}),
  instanceNoise: instanceNoiseSchema.prefault({}),
  emaGenerator: emaGeneratorSchema.prefault({}),
  /** Learning-rate schedule of each network. */
  lrSchedule: lrSchedulesSchema.prefault({}),
  /** At most one adaptive balancing controller per run. Default `{ kind: 'none' }`. */
  controller: controllerSchema.default({ kind: 'none' }),
};
// ── End of balancing techniques ───────────────────────────────────────────────────────────

/** Training defaults that depend on the data. 2-D mixtures train well with larger batches and
 * learning rates: batch 256 and Adam 1e-3 cover all 8 ring8 modes by step 3,000 (measured in
 * docs/mode-collapse.md). Images use the DCGAN optimizer settings of Radford et al. 2016
 * (Adam 2e-4, β1 0.5) with batch 64. */
export const DATA_DEFAULTS = {
  points: { batchSize: 256, learningRate: 1e-3 },
  images: { batchSize: 64, learningRate: 2e-4 },
} as const;

function fillDataDefaults(raw: unknown): unknown {
  if (raw === undefined) raw = {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;

  const config = raw as Record<string, unknown>;
  const dataset = config.dataset as { kind?: unknown } | undefined;
  const kind = dataset && typeof dataset === 'object' ? dataset.kind : 'ring8';
  const defaults = kind === 'fashion-mnist' || kind === 'idx' ? DATA_DEFAULTS.images : DATA_DEFAULTS.points;
  const fillOptimizer = (value: unknown): unknown =>
    value === undefined ? { learningRate: defaults.learningRate } : value !== null && typeof value === 'object' && !Array.isArray(value) ? { learningRate: defaults.learningRate, ...value } : value;

  return {
    ...config,
    batchSize: config.batchSize ?? defaults.batchSize,
    optimizerD: fillOptimizer(config.optimizerD),
    optimizerG: fillOptimizer(config.optimizerG),
  };
}

const runConfigObject = z
  .strictObject({
    name: z.string().max(200).optional(),
    experiment: z.string().min(1).max(200).default('default'),
    dataset: datasetSchema.default({ kind: 'ring8', modes: 8, radius: 2, std: 0.02 }),
    model: modelSchema,
    loss: lossSchema.default({ kind: 'ns', gradientPenaltyWeight: 10 }),
    optimizerD: optimizerSchema.default({ kind: 'adam', learningRate: 2e-4, beta1: 0.5, beta2: 0.999, momentum: 0 }),
    optimizerG: optimizerSchema.default({ kind: 'adam', learningRate: 2e-4, beta1: 0.5, beta2: 0.999, momentum: 0 }),
    /** D updates per step. */
    nD: positiveInt.max(100).default(1),
    /** G updates per step. */
    nG: positiveInt.max(100).default(1),
    batchSize: positiveInt.max(8192),
    steps: positiveInt.max(10_000_000).default(1000),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
    logEvery: positiveInt.default(10),
    sampleEvery: positiveInt.default(100),
    /** Steps between two evaluations of the mode-collapse indicators. */
    evalEvery: positiveInt.default(250),
    backend: z.enum(BACKEND_CHOICES).default('auto'),
    ...balancingFields,
  })
  .superRefine((config, ctx) => {
    const isImage = config.dataset.kind === 'fashion-mnist' || config.dataset.kind === 'idx';
    if (isImage && config.model.architecture === 'mlp') {
      // An MLP on flattened images is allowed; nothing to check.
      return;
    }
    if (!isImage && config.model.architecture === 'dcgan') {
      ctx.addIssue({
        code: 'custom',
        path: ['model', 'architecture'],
        message: `the DCGAN model needs 28×28 images, but dataset "${config.dataset.kind}" is 2-D points; use model "mlp"`,
      });
    }
  });

export const runConfigSchema = z.preprocess(fillDataDefaults, runConfigObject);

type DeepPartial<T> = T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;
/** The config a caller writes: any field may be left out and takes its default. */
export type RunConfigInput = DeepPartial<RunConfig>;
/** The config after defaults: what a run stores and trains. */
export type RunConfig = z.output<typeof runConfigSchema>;

export interface ConfigIssue {
  /** Dotted field path, e.g. `optimizerD.learningRate`. */
  field: string;
  message: string;
  /** The rejected value, when there is one. */
  value?: unknown;
}

function valueAtPath(input: unknown, path: PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Validates a config and returns either the parsed config or one issue per invalid field. */
export function parseRunConfig(input: unknown): { ok: true; config: RunConfig } | { ok: false; issues: ConfigIssue[] } {
  const result = runConfigSchema.safeParse(input, { error: configIssueMessage });
  if (result.success) return { ok: true, config: result.data };

  const issues = result.error.issues.flatMap((issue): ConfigIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: [...issue.path, key].map(String).join('.'),
        message: 'unknown field; remove it or check its spelling',
      }));
    }
    const field = issue.path.map(String).join('.') || '(config)';
    return [{ field, message: issue.message, value: valueAtPath(input, issue.path) }];
  });
  return { ok: false, issues };
}

/** Formats issues as lines like `optimizerD.learningRate: must be greater than 0 (got -1)`. */
export function formatConfigIssues(issues: ConfigIssue[]): string {
  return issues
    .map((issue) => {
      const shown = issue.value === undefined ? '' : ` (got ${JSON.stringify(issue.value)})`;
      return `${issue.field}: ${issue.message}${shown}`;
    })
    .join('\n');
}

/** Returns true when the dataset yields 28×28 images rather than 2-D points. */
export function isImageDataset(dataset: DatasetConfig): boolean {
  return dataset.kind === 'fashion-mnist' || dataset.kind === 'idx';
}
