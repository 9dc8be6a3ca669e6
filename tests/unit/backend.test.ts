// Backend selection on this machine, where tfjs-node and tfjs-node-gpu are not installed
// (their install downloads libtensorflow), plus a stand-in for tfjs-node-gpu to check GPU reporting.
import * as tf from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { probeBackends, selectBackend } from '../../src/main/training/backend';

describe('selectBackend', () => {
  it('auto picks wasm here', async () => {
    const info = await selectBackend('auto');

    expect(info.name).toBe('wasm');
    expect(info.gpu).toBe(false);
    expect(info.unavailable).toEqual([
      { name: 'tensorflow-gpu', reason: '@tensorflow/tfjs-node-gpu is not installed' },
      { name: 'tensorflow', reason: '@tensorflow/tfjs-node is not installed' },
    ]);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('wasm trains convolutions', async () => {
    // Needs the Conv2DBackpropFilter kernel that selectBackend registers for wasm.
    await selectBackend('wasm');
    const x = tf.ones([1, 4, 4, 1]) as tf.Tensor4D;
    const filter = tf.ones([2, 2, 1, 1]) as tf.Tensor4D;

    const gradient = tf.grad((w: tf.Tensor) => tf.sum(tf.conv2d(x, w as tf.Tensor4D, 2, 'valid')))(filter);

    // Each filter tap multiplies one input pixel of value 1 at each of the 4 output positions.
    expect(Array.from(gradient.dataSync())).toEqual([4, 4, 4, 4]);
    tf.dispose([x, filter, gradient]);
  });

  it('forced cpu lists better backends as not tried', async () => {
    const info = await selectBackend('cpu');

    expect(info).toEqual({
      name: 'cpu',
      gpu: false,
      unavailable: [
        { name: 'tensorflow-gpu', reason: 'not tried, because the run requested backend "cpu"' },
        { name: 'tensorflow', reason: 'not tried, because the run requested backend "cpu"' },
        { name: 'wasm', reason: 'not tried, because the run requested backend "cpu"' },
      ],
    });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('forced tensorflow-gpu names the fix', async () => {
    await selectBackend('wasm');

    await expect(selectBackend('tensorflow-gpu')).rejects.toThrow(
      'Backend "tensorflow-gpu" is unavailable: @tensorflow/tfjs-node-gpu is not installed. To use it: npm install @tensorflow/tfjs-node-gpu; it downloads libtensorflow 2.9.1 and needs CUDA 11.2 and cuDNN 8.1; or set backend to "auto".',
    );
    expect(tf.getBackend()).toBe('wasm');
  });

  it('forced tensorflow names the fix', async () => {
    await expect(selectBackend('tensorflow')).rejects.toThrow(/Backend "tensorflow" is unavailable: .*npm install @tensorflow\/tfjs-node;/);
  });
});

describe('probeBackends', () => {
  it('reports each backend and restores the active one', async () => {
    await selectBackend('cpu');

    const statuses = await probeBackends();

    expect(statuses).toEqual([
      { name: 'tensorflow-gpu', available: false, gpu: false, reason: '@tensorflow/tfjs-node-gpu is not installed' },
      { name: 'tensorflow', available: false, gpu: false, reason: '@tensorflow/tfjs-node is not installed' },
      { name: 'wasm', available: true, gpu: false, reason: null },
      { name: 'cpu', available: true, gpu: false, reason: null },
    ]);
    expect(tf.getBackend()).toBe('cpu');
  });
});

/**
 * Mocked because tfjs-node-gpu cannot be installed here. Like the real package, the stand-in
 * registers a 'tensorflow' backend (priority 3) whose instance carries `isGPUPackage` and
 * `isUsingGpuDevice`, and switches to it on import. Its backend has no kernels: these tests
 * only select it.
 */
function mockNodeGpuPackage(usingGpu: boolean): void {
  vi.doMock('@tensorflow/tfjs-node-gpu', () => {
    class StandInNodeBackend extends MathBackendCPU {
      isGPUPackage = true;
      isUsingGpuDevice = usingGpu;
    }
    tf.registerBackend('tensorflow', () => new StandInNodeBackend(), 3);
    void tf.setBackend('tensorflow');
    return { default: {} };
  });
}

describe('selectBackend with a stand-in tfjs-node-gpu', () => {
  afterEach(async () => {
    vi.doUnmock('@tensorflow/tfjs-node-gpu');
    vi.resetModules();
    tf.removeBackend('tensorflow');
    await tf.setBackend('wasm');
  });

  it('reports a GPU when TensorFlow uses one', async () => {
    mockNodeGpuPackage(true);
    const backend = await import('../../src/main/training/backend');

    const info = await backend.selectBackend('auto');

    expect(info).toEqual({ name: 'tensorflow-gpu', gpu: true, unavailable: [] });
    expect(tf.getBackend()).toBe('tensorflow');
  });

  it('reports no GPU on the silent CPU fallback', async () => {
    mockNodeGpuPackage(false);
    const backend = await import('../../src/main/training/backend');

    const info = await backend.selectBackend('tensorflow-gpu');

    expect(info).toEqual({ name: 'tensorflow-gpu', gpu: false, unavailable: [] });
  });

  it('forced tensorflow refuses the GPU package backend', async () => {
    // Both packages register 'tensorflow'; once tfjs-node-gpu owns the name, tfjs-node's own
    // registration fails, which the empty stand-in for tfjs-node reproduces.
    mockNodeGpuPackage(false);
    vi.doMock('@tensorflow/tfjs-node', () => ({ default: {} }));
    const backend = await import('../../src/main/training/backend');
    await backend.selectBackend('tensorflow-gpu');

    await expect(backend.selectBackend('tensorflow')).rejects.toThrow(
      /Backend "tensorflow" is unavailable: the 'tensorflow' backend of this process already belongs to @tensorflow\/tfjs-node-gpu/,
    );
    vi.doUnmock('@tensorflow/tfjs-node');
  });
});
