// The run configuration: one zod schema that the CLI, IPC, HTTP and the setup form share.
// Pure TypeScript: no Node or Electron imports, so the renderer can use it too.
import { z } from 'zod';

export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export const BACKEND_CHOICES = ['auto', ...BACKEND_NAMES] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export const LOSS_KINDS = ['minimax', 'ns', 'wgan-gp', 'hinge', 'lsgan'] as const;
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

/** Training defaults that depend on the data: 2-D mixtures train well with larger batches and
 * learning rates (the MLP-2D setup of VEEGAN and PacGAN uses batch 256 and Adam 1e-3); images
 * use the DCGAN recipe of Radford et al. 2016 (batch 64 here, Adam 2e-4, β1 0.5). */
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
  const result = runConfigSchema.safeParse(input);
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

/** Formats issues as lines like `optimizerD.learningRate: -1 is invalid: Too small: expected number to be >0`. */
export function formatConfigIssues(issues: ConfigIssue[]): string {
  return issues
    .map((issue) => {
      const shown = issue.value === undefined ? '' : ` (got ${JSON.stringify(issue.value)})`;
      return `${issue.field}: ${issue.message}${shown}`;
    })
    .join('\n');
}

/** Whether the dataset yields 28×28 images rather than 2-D points. */
export function isImageDataset(dataset: DatasetConfig): boolean {
  return dataset.kind === 'fashion-mnist' || dataset.kind === 'idx';
}
