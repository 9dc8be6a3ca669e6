// Turns `train` flags and an optional JSON config file into one validated RunConfig.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatConfigIssues, parseRunConfig, type ConfigIssue, type RunConfig } from '../../shared/config';
import { UsageError } from './usage-error';

export interface TrainFlags {
  config?: string;
  name?: string;
  experiment?: string;
  dataset?: string;
  labels?: string;
  fashionDir?: string;
  split?: string;
  model?: string;
  latentSize?: string;
  gWidth?: string;
  gDepth?: string;
  gNorm?: string;
  dWidth?: string;
  dDepth?: string;
  dNorm?: string;
  loss?: string;
  gpWeight?: string;
  optimizerD?: string;
  optimizerG?: string;
  lrD?: string;
  lrG?: string;
  beta1D?: string;
  beta2D?: string;
  beta1G?: string;
  beta2G?: string;
  momentumD?: string;
  momentumG?: string;
  nD?: string;
  nG?: string;
  batchSize?: string;
  steps?: string;
  seed?: string;
  logEvery?: string;
  sampleEvery?: string;
  evalEvery?: string;
  backend?: string;
  wganClip?: string;
  realLabel?: string;
  penalty?: string;
  penaltyWeight?: string;
  penaltyEvery?: string;
  spectralNormD?: boolean;
  spectralNormG?: boolean;
  featureMatching?: string;
  adversarialWeight?: string;
  featureLayer?: string;
  noiseStd?: string;
  noiseSchedule?: string;
  noiseSteps?: string;
  ema?: boolean;
  emaDecay?: string;
  lrScheduleD?: string;
  lrScheduleG?: string;
  lrFinalFractionD?: string;
  lrFinalFractionG?: string;
  lrStepSizeD?: string;
  lrStepSizeG?: string;
  lrGammaD?: string;
  lrGammaG?: string;
  controller?: string;
}

/** Flags that take a value, and the switches. */
type ValueFlag = { [K in keyof TrainFlags]-?: TrainFlags[K] extends string | undefined ? K : never }[keyof TrainFlags];
type SwitchFlag = { [K in keyof TrainFlags]-?: TrainFlags[K] extends boolean | undefined ? K : never }[keyof TrainFlags];

/** Flag for each numeric config field, so that errors can name the flag the user typed. */
const NUMERIC_FLAGS: [ValueFlag, string, string][] = [
  ['latentSize', '--latent-size', 'model.latentSize'],
  ['gWidth', '--g-width', 'model.generator.width'],
  ['gDepth', '--g-depth', 'model.generator.depth'],
  ['dWidth', '--d-width', 'model.discriminator.width'],
  ['dDepth', '--d-depth', 'model.discriminator.depth'],
  ['gpWeight', '--gp-weight', 'loss.gradientPenaltyWeight'],
  ['lrD', '--lr-d', 'optimizerD.learningRate'],
  ['lrG', '--lr-g', 'optimizerG.learningRate'],
  ['beta1D', '--beta1-d', 'optimizerD.beta1'],
  ['beta2D', '--beta2-d', 'optimizerD.beta2'],
  ['beta1G', '--beta1-g', 'optimizerG.beta1'],
  ['beta2G', '--beta2-g', 'optimizerG.beta2'],
  ['momentumD', '--momentum-d', 'optimizerD.momentum'],
  ['momentumG', '--momentum-g', 'optimizerG.momentum'],
  ['nD', '--n-d', 'nD'],
  ['nG', '--n-g', 'nG'],
  ['batchSize', '--batch-size', 'batchSize'],
  ['steps', '--steps', 'steps'],
  ['seed', '--seed', 'seed'],
  ['logEvery', '--log-every', 'logEvery'],
  ['sampleEvery', '--sample-every', 'sampleEvery'],
  ['evalEvery', '--eval-every', 'evalEvery'],
  ['wganClip', '--wgan-clip', 'wganClip'],
  ['realLabel', '--real-label', 'realLabel'],
  ['penaltyWeight', '--penalty-weight', 'penalty.weight'],
  ['penaltyEvery', '--penalty-every', 'penalty.every'],
  ['featureMatching', '--feature-matching', 'featureMatching.weight'],
  ['adversarialWeight', '--adversarial-weight', 'featureMatching.adversarialWeight'],
  ['featureLayer', '--feature-layer', 'featureMatching.layer'],
  ['noiseStd', '--noise-std', 'instanceNoise.std'],
  ['noiseSteps', '--noise-steps', 'instanceNoise.annealSteps'],
  ['emaDecay', '--ema-decay', 'emaGenerator.decay'],
  ['lrFinalFractionD', '--lr-final-fraction-d', 'lrSchedule.discriminator.finalFraction'],
  ['lrFinalFractionG', '--lr-final-fraction-g', 'lrSchedule.generator.finalFraction'],
  ['lrStepSizeD', '--lr-step-size-d', 'lrSchedule.discriminator.stepSize'],
  ['lrStepSizeG', '--lr-step-size-g', 'lrSchedule.generator.stepSize'],
  ['lrGammaD', '--lr-gamma-d', 'lrSchedule.discriminator.gamma'],
  ['lrGammaG', '--lr-gamma-g', 'lrSchedule.generator.gamma'],
];

const TEXT_FLAGS: [ValueFlag, string, string][] = [
  ['name', '--name', 'name'],
  ['experiment', '--experiment', 'experiment'],
  ['model', '--model', 'model.architecture'],
  ['gNorm', '--g-norm', 'model.generator.normalization'],
  ['dNorm', '--d-norm', 'model.discriminator.normalization'],
  ['loss', '--loss', 'loss.kind'],
  ['optimizerD', '--optimizer-d', 'optimizerD.kind'],
  ['optimizerG', '--optimizer-g', 'optimizerG.kind'],
  ['backend', '--backend', 'backend'],
  ['penalty', '--penalty', 'penalty.kind'],
  ['noiseSchedule', '--noise-schedule', 'instanceNoise.schedule'],
  ['lrScheduleD', '--lr-schedule-d', 'lrSchedule.discriminator.kind'],
  ['lrScheduleG', '--lr-schedule-g', 'lrSchedule.generator.kind'],
  ['controller', '--controller', 'controller.kind'],
];

/** Switches that set a config field to true when given. */
const BOOLEAN_FLAGS: [SwitchFlag, string, string][] = [
  ['spectralNormD', '--spectral-norm-d', 'spectralNorm.discriminator'],
  ['spectralNormG', '--spectral-norm-g', 'spectralNorm.generator'],
  ['ema', '--ema', 'emaGenerator.enabled'],
];

const FIELD_TO_FLAG = new Map<string, string>(
  [...NUMERIC_FLAGS, ...TEXT_FLAGS, ...BOOLEAN_FLAGS].map(([, flag, field]) => [field, flag]),
);
FIELD_TO_FLAG.set('dataset', '--dataset');
FIELD_TO_FLAG.set('dataset.kind', '--dataset');

type Json = Record<string, unknown>;

function setPath(target: Json, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== 'object') node[key] = {};
    node = node[key] as Json;
  }
  node[keys[keys.length - 1]] = value;
}

function readConfigFile(path: string): Json {
  const absolute = resolve(path);
  if (!existsSync(absolute)) {
    throw new UsageError(`config file not found: ${absolute}; pass the path of a JSON file with --config`);
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(absolute, 'utf8'));
  } catch (error) {
    throw new UsageError(`config file ${absolute} is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(`config file ${absolute} must contain a JSON object, but it contains ${Array.isArray(parsed) ? 'an array' : typeof parsed}`);
  }
  return parsed as Json;
}

/** Maps `--dataset` to a dataset config: a built-in name, or the path of an IDX image file. */
function datasetFromFlags(flags: TrainFlags, base: unknown): unknown {
  const name = flags.dataset;
  if (name === 'ring8' || name === 'grid25') return { kind: name };
  if (name === 'fashion-mnist') {
    return { kind: 'fashion-mnist', ...(flags.fashionDir ? { dir: resolve(flags.fashionDir) } : {}), ...(flags.split ? { split: flags.split } : {}) };
  }
  if (name !== undefined) {
    // A bare word that is no file is more likely a mistyped built-in name than an IDX file.
    if (!existsSync(resolve(name)) && !/[\\/.]/.test(name)) {
      throw new UsageError(`unknown dataset "${name}": expected ring8, grid25, fashion-mnist, or the path of an IDX image file`);
    }
    return { kind: 'idx', imagesPath: resolve(name), ...(flags.labels ? { labelsPath: resolve(flags.labels) } : {}) };
  }
  return base;
}

function describeIssue(issue: ConfigIssue): ConfigIssue {
  const flag = FIELD_TO_FLAG.get(issue.field);
  return flag ? { ...issue, field: `${issue.field} (${flag})` } : issue;
}

/** Builds the run config: the file's values, then the flags on top, then validation. */
export function buildRunConfig(flags: TrainFlags): RunConfig {
  const raw: Json = flags.config ? readConfigFile(flags.config) : {};

  for (const [key, flag, field] of NUMERIC_FLAGS) {
    const text = flags[key];
    if (text === undefined) continue;
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) {
      throw new UsageError(`${flag} expects a number, but got "${text}"`);
    }
    setPath(raw, field, value);
  }
  for (const [key, , field] of TEXT_FLAGS) {
    const text = flags[key];
    if (text !== undefined) setPath(raw, field, text);
  }
  for (const [key, , field] of BOOLEAN_FLAGS) {
    if (flags[key] === true) setPath(raw, field, true);
  }
  const dataset = datasetFromFlags(flags, raw.dataset);
  if (dataset !== undefined) raw.dataset = dataset;

  const result = parseRunConfig(raw);
  if (!result.ok) {
    throw new UsageError(`invalid run config:\n${formatConfigIssues(result.issues.map(describeIssue))}`);
  }
  return result.config;
}
