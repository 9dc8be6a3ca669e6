// The setup form's editable state and how it becomes a RunConfigInput. Number inputs that the
// user has cleared hold null, which the config schema then reports beside the field.
import {
  DATA_DEFAULTS,
  equilibriumControllerSchema,
  grid25Schema,
  NETWORK_DEFAULTS,
  ring8Schema,
  rtControllerSchema,
  runConfigSchema,
  stepRatioControllerSchema,
  type Architecture,
  type ControllerConfig,
  type ControllerKind,
  type DatasetKind,
  type RunConfig,
  type RunConfigInput,
} from '../../../shared/config';

/** A config type with every number widened to `number | null` (a cleared input). */
export type Editable<T> = {
  [K in keyof T]: T[K] extends number ? number | null : T[K] extends object ? Editable<T[K]> : T[K];
};

export interface DatasetDrafts {
  ring8: Editable<{ modes: number; radius: number; std: number }>;
  grid25: Editable<{ side: number; spacing: number; std: number }>;
  'fashion-mnist': { dir: string; split: 'train' | 'test' };
  idx: { imagesPath: string; labelsPath: string };
}

type ActiveControllerConfig = Exclude<ControllerConfig, { kind: 'none' }>;

/** Each adaptive controller's parameters, without its kind. */
export type ControllerDrafts = {
  [K in ActiveControllerConfig['kind']]: Editable<Omit<Extract<ActiveControllerConfig, { kind: K }>, 'kind'>>;
};

export interface SetupForm extends Editable<Omit<RunConfig, 'dataset' | 'name' | 'controller'>> {
  name: string;
  datasetKind: DatasetKind;
  /** Each dataset kind's parameters, kept while another kind is selected. */
  datasets: DatasetDrafts;
  controllerKind: ControllerKind;
  /** Each controller's parameters, kept while another kind is selected. */
  controllers: ControllerDrafts;
  /** Seeds to start one run each with, e.g. "0,1,2"; empty starts one run with `seed`. */
  seedsText: string;
}

// A JSON round trip copies Vue's reactive proxies too, which structuredClone rejects; the form
// holds only strings, numbers, booleans and null, so nothing is lost.
function plainCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Returns a form filled with the config schema's defaults. */
export function createDefaultForm(): SetupForm {
  const defaults = runConfigSchema.parse({});
  const { kind: _ring8Kind, ...ring8 } = ring8Schema.parse({ kind: 'ring8' });
  const { kind: _grid25Kind, ...grid25 } = grid25Schema.parse({ kind: 'grid25' });
  const { dataset: _dataset, name: _name, controller: _controller, ...rest } = defaults;
  return {
    ...plainCopy(rest),
    name: '',
    datasetKind: 'ring8',
    datasets: { ring8, grid25, 'fashion-mnist': { dir: '', split: 'train' }, idx: { imagesPath: '', labelsPath: '' } },
    controllerKind: 'none',
    controllers: createDefaultControllerDrafts(),
    seedsText: '',
  };
}

/** Returns each controller's parameters at the config schema's defaults. */
export function createDefaultControllerDrafts(): ControllerDrafts {
  const { kind: _equilibrium, ...equilibrium } = equilibriumControllerSchema.parse({ kind: 'equilibrium' });
  const { kind: _rt, ...rt } = rtControllerSchema.parse({ kind: 'rt' });
  const { kind: _stepRatio, ...stepRatio } = stepRatioControllerSchema.parse({ kind: 'step-ratio' });
  return { equilibrium, rt, 'step-ratio': stepRatio };
}

/** Selects a controller config in the form: its kind, and its parameters when it has any. */
export function applyController(form: SetupForm, controller: ControllerConfig): void {
  form.controllerKind = controller.kind;
  if (controller.kind === 'none') return;

  const { kind, ...params } = controller;
  Object.assign(form.controllers[kind], params);
}

/** Replaces the model's sizes with the architecture's defaults. */
export function applyArchitecture(form: SetupForm, architecture: Architecture): void {
  const defaults = NETWORK_DEFAULTS[architecture];
  form.model.architecture = architecture;
  form.model.latentSize = defaults.latentSize;
  form.model.generator = { ...defaults.generator };
  form.model.discriminator = { ...defaults.discriminator };
}

/** Returns true when a dataset kind yields images rather than 2-D points. */
export function isImageKind(kind: DatasetKind): boolean {
  return kind === 'fashion-mnist' || kind === 'idx';
}

/**
 * Moves the batch size and learning rates to the new data type's defaults (points and images
 * train best with different ones), but only those the user left at the old type's defaults.
 */
export function applyDataDefaults(form: SetupForm, fromImages: boolean, toImages: boolean): void {
  if (fromImages === toImages) return;

  const from = fromImages ? DATA_DEFAULTS.images : DATA_DEFAULTS.points;
  const to = toImages ? DATA_DEFAULTS.images : DATA_DEFAULTS.points;
  if (form.batchSize === from.batchSize) form.batchSize = to.batchSize;
  for (const optimizer of [form.optimizerD, form.optimizerG]) {
    if (optimizer.learningRate === from.learningRate) optimizer.learningRate = to.learningRate;
  }
}

function controllerInput(form: SetupForm): RunConfigInput['controller'] {
  if (form.controllerKind === 'none') return { kind: 'none' };
  return { kind: form.controllerKind, ...form.controllers[form.controllerKind] } as RunConfigInput['controller'];
}

function datasetInput(form: SetupForm): RunConfigInput['dataset'] {
  switch (form.datasetKind) {
    case 'ring8':
      return { kind: 'ring8', ...form.datasets.ring8 } as RunConfigInput['dataset'];
    case 'grid25':
      return { kind: 'grid25', ...form.datasets.grid25 } as RunConfigInput['dataset'];
    case 'fashion-mnist': {
      const { dir, split } = form.datasets['fashion-mnist'];
      return dir.trim() ? { kind: 'fashion-mnist', split, dir: dir.trim() } : { kind: 'fashion-mnist', split };
    }
    case 'idx': {
      const { imagesPath, labelsPath } = form.datasets.idx;
      const images = { kind: 'idx' as const, imagesPath: imagesPath.trim() };
      return labelsPath.trim() ? { ...images, labelsPath: labelsPath.trim() } : images;
    }
  }
}

/** Builds the config the API validates and starts. */
export function buildConfigInput(form: SetupForm): RunConfigInput {
  const { name, datasetKind: _kind, datasets: _datasets, controllerKind: _controllerKind, controllers: _controllers, seedsText: _seeds, ...rest } = form;
  const input = { ...plainCopy(rest), dataset: datasetInput(form), controller: controllerInput(form) } as unknown as RunConfigInput;
  if (name.trim()) input.name = name.trim();
  return input;
}
