// The experiment setup: the form, its debounced validation by the main side, the datasets and
// backends on offer, presets, and starting runs.
import { defineStore } from 'pinia';
import { computed, reactive, ref, watch } from 'vue';
import type { DatasetOption, IdxFilePurpose, SystemInfo } from '../../../shared/api';
import type { Architecture, ConfigIssue, RunConfig, RunConfigInput } from '../../../shared/config';
import { applyPreset, findPreset, matchingPreset, type RunPreset } from '../../../shared/presets';
import { ApiError, getApi } from '../api';
import { errorMessage } from './error-message';
import { useNavigationStore } from './navigation';
import { parseSeedList } from './seed-list';
import { applyArchitecture, applyController, applyDataDefaults, buildConfigInput, createDefaultForm, isImageKind } from './setup-form';

/** Delay after the last edit before the config is validated, in milliseconds. */
export const VALIDATION_DELAY_MS = 250;

/** Returns the message shown beside a field. A cleared number input reads "Required" rather than zod's type message. */
export function fieldMessage(issue: ConfigIssue): string {
  return issue.value === null ? 'Required: enter a number.' : issue.message;
}

export const useSetupStore = defineStore('setup', () => {
  const api = getApi();
  const navigation = useNavigationStore();

  const form = reactive(createDefaultForm());
  const datasetOptions = ref<DatasetOption[]>([]);
  const systemInfo = ref<SystemInfo | null>(null);
  const loadError = ref<string | null>(null);

  const configInput = computed<RunConfigInput>(() => buildConfigInput(form));
  const serverIssues = ref<ConfigIssue[]>([]);
  const validatedKey = ref<string | null>(null);
  const validationError = ref<string | null>(null);
  const starting = ref(false);
  const startError = ref<string | null>(null);

  const seedList = computed(() => parseSeedList(form.seedsText));
  const selectedDataset = computed(() => datasetOptions.value.find((option) => option.kind === form.datasetKind) ?? null);

  /** Server issues plus the checks only the form can make (seeds, dataset availability). */
  const issues = computed<ConfigIssue[]>(() => {
    const all = [...serverIssues.value];
    if (!seedList.value.ok) all.push({ field: 'seeds', message: seedList.value.message, value: form.seedsText });
    const dataset = selectedDataset.value;
    if (dataset && !dataset.available) {
      all.push({ field: 'dataset.kind', message: dataset.hint ?? `${dataset.label} is not available on this machine.` });
    }
    return all;
  });

  const issuesByField = computed(() => {
    const byField = new Map<string, string[]>();
    for (const issue of issues.value) byField.set(issue.field, [...(byField.get(issue.field) ?? []), fieldMessage(issue)]);
    return byField;
  });

  const configKey = computed(() => JSON.stringify(configInput.value));
  const validating = computed(() => validatedKey.value !== configKey.value);
  const canStart = computed(
    () => !validating.value && !starting.value && validationError.value === null && issues.value.length === 0,
  );

  /** D's learning rate over G's, or null while either is not a positive number. */
  const learningRateRatio = computed(() => {
    const d = form.optimizerD.learningRate;
    const g = form.optimizerG.learningRate;
    return d !== null && g !== null && d > 0 && g > 0 ? d / g : null;
  });

  const activePreset = computed<RunPreset | null>(() => matchingPreset(configInput.value as Parameters<typeof matchingPreset>[0]));

  let timer: ReturnType<typeof setTimeout> | null = null;

  async function validateNow(): Promise<void> {
    const key = configKey.value;
    const input = configInput.value;
    try {
      const result = await api.training.validate(input);
      if (key !== configKey.value) return;

      serverIssues.value = result.issues;
      validationError.value = null;
    } catch (error) {
      if (key !== configKey.value) return;

      serverIssues.value = [];
      validationError.value = `Could not validate the config: ${errorMessage(error)}`;
    }
    validatedKey.value = key;
  }

  function scheduleValidation(): void {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void validateNow();
    }, VALIDATION_DELAY_MS);
  }

  watch(configKey, scheduleValidation, { immediate: true });
  watch(
    () => isImageKind(form.datasetKind),
    (toImages, fromImages) => applyDataDefaults(form, fromImages, toImages),
  );

  async function load(): Promise<void> {
    loadError.value = null;
    try {
      const [datasets, info] = await Promise.all([api.datasets.list(), api.system.info()]);
      datasetOptions.value = datasets;
      systemInfo.value = info;
    } catch (error) {
      loadError.value = `Could not load datasets and backends: ${errorMessage(error)}`;
    }
  }

  function setArchitecture(architecture: Architecture): void {
    applyArchitecture(form, architecture);
  }

  function choosePreset(id: string): void {
    // applyPreset copies the preset's objects, so editing the form never changes the preset.
    const { controller, ...settings } = applyPreset<Partial<RunConfig>>({}, findPreset(id));
    Object.assign(form, settings);
    if (controller) applyController(form, controller);

    // The DCGAN recipe belongs with the DCGAN architecture, which exists only for images.
    if (id === 'dcgan' && isImageKind(form.datasetKind) && form.model.architecture !== 'dcgan') applyArchitecture(form, 'dcgan');
  }

  /** File dialogs exist only in the desktop app; in a browser the path is typed. */
  const canBrowseFiles = computed(() => systemInfo.value?.shell === 'electron');

  /** Opens the desktop app's file dialog and puts the chosen IDX file's path into the form. */
  async function browseIdxFile(purpose: IdxFilePurpose): Promise<void> {
    const path = await api.datasets.chooseFile(purpose);
    if (path === null) return;
    if (purpose === 'images') form.datasets.idx.imagesPath = path;
    else form.datasets.idx.labelsPath = path;
  }

  function resetForm(): void {
    Object.assign(form, createDefaultForm());
  }

  /** Starts a run per seed and opens the first in the live view; returns the new run ids. */
  async function start(): Promise<number[]> {
    if (!canStart.value || !seedList.value.ok) return [];

    starting.value = true;
    startError.value = null;
    try {
      const seeds = seedList.value.seeds;
      const { runIds } = await api.training.start(configInput.value, seeds.length > 0 ? { seeds } : {});
      if (runIds.length > 0) navigation.openRun(runIds[0]);
      return runIds;
    } catch (error) {
      if (error instanceof ApiError && error.issues.length > 0) serverIssues.value = error.issues;
      startError.value = `Could not start the run: ${errorMessage(error)}`;
      return [];
    } finally {
      starting.value = false;
    }
  }

  return {
    form,
    datasetOptions,
    systemInfo,
    loadError,
    configInput,
    issues,
    issuesByField,
    validating,
    validationError,
    canStart,
    starting,
    startError,
    learningRateRatio,
    activePreset,
    selectedDataset,
    load,
    validateNow,
    setArchitecture,
    choosePreset,
    canBrowseFiles,
    browseIdxFile,
    resetForm,
    start,
  };
});
