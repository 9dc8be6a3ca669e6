// Chooses the TensorFlow.js compute backend at start-up, best first: tfjs-node-gpu (CUDA),
// tfjs-node (libtensorflow on the CPU), wasm, then the pure-JS cpu backend.
//
// NOTE: tfjs-node and tfjs-node-gpu (tfjs-node/src/index.ts in the tensorflow/tfjs repository)
// both `import '@tensorflow/tfjs'`, register a backend named 'tensorflow' and call
// `tf.setBackend('tensorflow')` while they load. Their backend
// reaches this module's `tf` only when npm resolves both to the same @tensorflow/tfjs copy
// (same version, deduplicated). Because both use the name 'tensorflow', only the first of the
// two packages loaded in a process owns it.
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

import type { BackendChoice, BackendName } from '../../shared/config';
import type { BackendStatus } from '../../shared/api';
import type { BackendInfo } from '../../shared/run';
import { createLogger } from '../logger';
import { registerWasmConv2DBackpropFilter } from './wasm-conv2d-backprop-filter';

const log = createLogger('backend');

/** Backends from best to worst: the order `selectBackend('auto')` tries them in. */
const PREFERENCE: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

/** The name each backend is registered under in tfjs. */
const TFJS_NAMES: Record<BackendName, string> = {
  'tensorflow-gpu': 'tensorflow',
  tensorflow: 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
};

const NATIVE_PACKAGES = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
} as const;

const INSTALL_HINTS: Record<BackendName, string> = {
  'tensorflow-gpu': 'npm install @tensorflow/tfjs-node-gpu; it downloads libtensorflow 2.9.1 and needs CUDA 11.2 and cuDNN 8.1',
  tensorflow: 'npm install @tensorflow/tfjs-node; it downloads libtensorflow 2.9.1 at install time',
  wasm: 'reinstall @tensorflow/tfjs-backend-wasm (npm install) so that its dist/*.wasm files exist',
  cpu: 'reinstall @tensorflow/tfjs (npm install)',
};

type LoadResult = { ok: true; gpu: boolean } | { ok: false; reason: string };

/**
 * Sets the tfjs backend for this process (tf.setBackend, then tf.ready) and returns which one
 * it is. With 'auto', it takes the best backend that loads and lists each better one with the
 * reason it was skipped. A forced choice that cannot load throws an Error naming the backend,
 * the reason and what to install.
 */
export async function selectBackend(choice: BackendChoice): Promise<BackendInfo> {
  const unavailable: BackendInfo['unavailable'] = [];

  if (choice !== 'auto') {
    for (const better of PREFERENCE.slice(0, PREFERENCE.indexOf(choice))) {
      unavailable.push({ name: better, reason: `not tried, because the run requested backend "${choice}"` });
    }

    const result = await activateBackend(choice);
    if (!result.ok) {
      throw new Error(`Backend "${choice}" is unavailable: ${result.reason}. To use it: ${INSTALL_HINTS[choice]}; or set backend to "auto".`);
    }
    return describeSelection(choice, result.gpu, unavailable);
  }

  for (const name of PREFERENCE) {
    const result = await activateBackend(name);
    if (result.ok) return describeSelection(name, result.gpu, unavailable);

    log.info({ backend: name, reason: result.reason }, 'backend unavailable, trying the next one');
    unavailable.push({ name, reason: result.reason });
  }

  // The cpu backend ships inside @tensorflow/tfjs, so this point means a broken install.
  const reasons = unavailable.map((entry) => `${entry.name}: ${entry.reason}`).join('; ');
  throw new Error(`No TensorFlow.js backend could be initialized (${reasons}). Reinstall the dependencies with npm install.`);
}

/**
 * Returns which backends can load here, best first. It switches backends to find out and then
 * restores the backend that was active before. When none was active yet, the best available
 * backend stays active, because tfjs cannot return to "no backend". Call it from a thread that
 * is not training, because the switch applies to every op of the thread's tfjs instance.
 */
export async function probeBackends(): Promise<BackendStatus[]> {
  const previous = activeBackendName();
  const statuses: BackendStatus[] = [];

  // Worst first, so that the last successful activation is the best backend.
  for (const name of [...PREFERENCE].reverse()) {
    const result = await activateBackend(name);
    statuses.unshift(
      result.ok
        ? { name, available: true, gpu: result.gpu, reason: null }
        : { name, available: false, gpu: false, reason: result.reason },
    );
  }

  if (previous !== null && tf.getBackend() !== previous) {
    await tf.setBackend(previous);
    await tf.ready();
  }
  return statuses;
}

function describeSelection(name: BackendName, gpu: boolean, unavailable: BackendInfo['unavailable']): BackendInfo {
  if (name === 'tensorflow-gpu' && !gpu) {
    log.warn(
      { backend: name },
      'tfjs-node-gpu loaded, but TensorFlow found no usable CUDA GPU (it needs CUDA 11.2 and cuDNN 8.1), so it runs on the CPU',
    );
  }
  log.info({ backend: name, gpu, skipped: unavailable.map((entry) => entry.name) }, 'backend selected');
  return { name, gpu, unavailable };
}

/** Returns the name of the tfjs backend in use, or null when none was initialized yet. */
function activeBackendName(): string | null {
  return tf.engine().backendName ?? null;
}

/** Loads one backend and makes it the active tfjs backend. */
async function activateBackend(name: BackendName): Promise<LoadResult> {
  switch (name) {
    case 'tensorflow-gpu':
    case 'tensorflow':
      return activateNative(name);
    case 'wasm':
      return activateWasm();
    case 'cpu':
      return activateRegistered('cpu');
  }
}

async function activateNative(name: 'tensorflow-gpu' | 'tensorflow'): Promise<LoadResult> {
  const packageName: string = NATIVE_PACKAGES[name];
  try {
    // A variable specifier keeps TypeScript and the bundler from requiring the optional package.
    await import(/* @vite-ignore */ packageName);
  } catch (error) {
    return { ok: false, reason: describeImportFailure(packageName, error) };
  }

  const backend = tf.findBackend(TFJS_NAMES[name]) as (tf.KernelBackend & { isGPUPackage?: boolean; isUsingGpuDevice?: boolean }) | null;
  if (backend === null) {
    return {
      ok: false,
      reason: `${packageName} loaded, but no 'tensorflow' backend appeared in this @tensorflow/tfjs; it probably resolved to another copy of @tensorflow/tfjs`,
    };
  }

  // Both packages register under 'tensorflow'; the first one loaded in a process keeps the name.
  const ownerIsGpuPackage = backend.isGPUPackage === true;
  if (ownerIsGpuPackage !== (name === 'tensorflow-gpu')) {
    const owner = ownerIsGpuPackage ? NATIVE_PACKAGES['tensorflow-gpu'] : NATIVE_PACKAGES.tensorflow;
    return { ok: false, reason: `the 'tensorflow' backend of this process already belongs to ${owner}` };
  }

  const activation = await activateRegistered(TFJS_NAMES[name]);
  if (!activation.ok) return activation;
  // tfjs-node-gpu falls back to the CPU silently without CUDA, and only this flag reports where work runs.
  return { ok: true, gpu: backend.isUsingGpuDevice === true };
}

async function activateWasm(): Promise<LoadResult> {
  let wasm: typeof import('@tensorflow/tfjs-backend-wasm');
  try {
    wasm = await import('@tensorflow/tfjs-backend-wasm');
  } catch (error) {
    return { ok: false, reason: describeImportFailure('@tensorflow/tfjs-backend-wasm', error) };
  }

  try {
    // In Node, the .wasm binaries sit beside the package's main file in dist/.
    const mainFile = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(path.dirname(mainFile) + path.sep);
  } catch (error) {
    // setWasmPaths throws once the backend has initialized, and the paths set before still apply.
    log.debug({ err: error }, 'wasm paths not changed');
  }
  registerWasmConv2DBackpropFilter();
  return activateRegistered('wasm');
}

/** Sets a backend that is already registered with tfjs and waits until it is ready. */
async function activateRegistered(tfjsName: string): Promise<LoadResult> {
  let ok: boolean;
  try {
    ok = await tf.setBackend(tfjsName);
    await tf.ready();
  } catch (error) {
    return { ok: false, reason: `initialization failed: ${errorMessage(error)}` };
  }

  if (!ok) return { ok: false, reason: `tf.setBackend('${tfjsName}') failed; tfjs logged the cause as a warning` };
  return { ok: true, gpu: false };
}

function describeImportFailure(packageName: string, error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = errorMessage(error);
  const missing = (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message.includes(packageName);
  return missing ? `${packageName} is not installed` : `${packageName} failed to load: ${message}`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
