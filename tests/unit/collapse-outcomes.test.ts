import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRunConfig, type RunConfig, type RunConfigInput } from '../../src/shared/config';
import type { MetricPoint } from '../../src/shared/run';
import { loadDataset, type LoadedDataset } from '../../src/main/data/dataset';
import { isFashionMnistInstalled, loadFashionMnist } from '../../src/main/data/fashion-mnist';
import { selectBackend } from '../../src/main/training/backend';
import { createEvaluator } from '../../src/main/training/evaluator';
import type { GanStep } from '../../src/main/training/gan-step';
import { train, type TrainerHost } from '../../src/main/training/trainer';
import { VerdictTracker } from '../../src/main/training/verdict-tracker';

function config(input: RunConfigInput): RunConfig {
  const result = parseRunConfig({ backend: 'wasm', ...input });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

function recordingHost() {
  const metrics: MetricPoint[] = [];
  const events: { step: number; kind: string; message: string; data?: Record<string, unknown> }[] = [];
  const host: TrainerHost = {
    started: () => undefined,
    progress: () => undefined,
    metrics: (points) => metrics.push(...points),
    sample: () => undefined,
    event: (step, kind, message, data) => events.push({ step, kind, message, data }),
    stopRequested: () => false,
    whenResumed: () => Promise.resolve(),
  };
  const valueAt = (name: string, step: number) => metrics.find((point) => point.name === name && point.step === step)?.value;
  return { host, metrics, events, valueAt };
}

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('ring8 evaluation in training', () => {
  it('finds the minimax collapse early', async () => {
    // A shorter variant of the documented 1,500-step outcome (scripts/collapse-outcomes.ts):
    // minimax, D's learning rate 10× G's and nD 5. D wins at once and G reaches no mode.
    const recorder = recordingHost();
    const before = tf.memory().numTensors;
    const result = await train(
      config({ loss: { kind: 'minimax' }, optimizerD: { learningRate: 1e-3 }, optimizerG: { learningRate: 1e-4 }, nD: 5, steps: 200, evalEvery: 100, logEvery: 100, sampleEvery: 1000 }),
      recorder.host,
    );

    expect(result.status).toBe('completed');
    expect(recorder.valueAt('modesTotal', 200)).toBe(8);
    expect(recorder.valueAt('modesCovered', 200)).toBeLessThanOrEqual(3);
    expect(recorder.valueAt('highQualityFraction', 200)).toBeLessThan(0.05);
    expect(recorder.valueAt('accReal', 200)).toBeGreaterThan(0.9);
    expect(recorder.valueAt('evalMs', 100)).toBeGreaterThan(0);
    expect(recorder.metrics.filter((point) => point.name.startsWith('modeCount.') && point.step === 200)).toHaveLength(8);
    expect(recorder.events.find((event) => event.message.startsWith('Evaluation took'))?.data).toMatchObject({ evaluations: 2 });
    expect(result.tensorCount).toBe(before);
  });
});

/** A stand-in generator for the image evaluator: it returns fixed real images instead of
 * running a network, because only a generator with known output has known indicators.
 * Everything else (classifier, metrics, alarm, verdict tracker) is real. */
function imageSource(): { gan: GanStep; use(images: Float32Array): void } {
  let images: Float32Array = new Float32Array(0);
  let cursor = 0;
  const gan = {
    generate(z: tf.Tensor2D): Float32Array {
      const start = cursor % (images.length / 784);
      cursor += z.shape[0];
      return images.slice(start * 784, (start + z.shape[0]) * 784);
    },
  } as unknown as GanStep;
  return { gan, use: (next) => ((images = next), (cursor = 0)) };
}

/** Returns the first `count` test images whose label passes `keep`, flattened, in [-1, 1]. */
function testImages(pixels: Uint8Array, labels: Uint8Array, count: number, keep: (label: number) => boolean): Float32Array {
  const out = new Float32Array(count * 784);
  let found = 0;
  for (let i = 0; i < labels.length && found < count; i++) {
    if (!keep(labels[i])) continue;
    for (let p = 0; p < 784; p++) out[found * 784 + p] = pixels[i * 784 + p] / 127.5 - 1;
    found++;
  }
  return out;
}

describe.skipIf(!isFashionMnistInstalled())('Fashion-MNIST evaluation', () => {
  it('scores held-out images, then a collapse', async () => {
    const runConfig = config({ dataset: { kind: 'fashion-mnist', split: 'train' }, model: { architecture: 'dcgan' } });
    const dataset = await loadDataset(runConfig.dataset, 0);
    const test = await loadFashionMnist({ kind: 'fashion-mnist', split: 'test' });
    const recorder = recordingHost();
    const verdicts = new VerdictTracker(runConfig, recorder.host.event);
    const source = imageSource();
    const evaluator = await createEvaluator(runConfig, dataset, source.gan, recorder.host, { verdicts });
    const at = recorder.valueAt;

    // Step 250: 1,000 held-out test images, i.e. a generator that matches the data.
    source.use(testImages(test.images.pixels, test.labels.labels, 1000, () => true));
    evaluator!.evaluate(250);
    // Step 500: 1,000 trousers (label 1) only, a generator collapsed onto one class.
    source.use(testImages(test.images.pixels, test.labels.labels, 1000, (label) => label === 1));
    evaluator!.evaluate(500);
    evaluator!.dispose();

    expect(at('classifierTestAccuracy', 0)).toBeGreaterThanOrEqual(0.9);
    // Held-out images: every class covered, histograms alike, features from one distribution.
    // Measured: KL 0.007, Fréchet distance 1.1, precision 0.86, recall 0.87, density 1.0,
    // coverage 0.97, NDB 1 of 20, diversity 1.0.
    expect(at('classesCovered', 250)).toBe(10);
    expect(at('classesTotal', 250)).toBe(10);
    expect(at('classKL', 250)).toBeLessThan(0.05);
    expect(at('precision', 250)).toBeGreaterThan(0.75);
    expect(at('recall', 250)).toBeGreaterThan(0.75);
    expect(at('density', 250)).toBeGreaterThan(0.8);
    expect(at('coverage', 250)).toBeGreaterThan(0.9);
    expect(at('ndb', 250)).toBeLessThanOrEqual(4);
    expect(at('ndbBins', 250)).toBe(20);
    expect(at('diversity', 250)).toBeGreaterThan(0.9);
    expect(at('collapseAlarm', 250)).toBe(0);

    // Trousers only: one or two classes (a few trousers pass for dresses), KL near log 10,
    // and the alarm with its numbers and the mode-collapse verdict.
    expect(at('classesCovered', 500)).toBeLessThanOrEqual(2);
    expect(at('classKL', 500)).toBeGreaterThan(2);
    expect(at('classifierFrechetDistance', 500)).toBeGreaterThan(10 * at('classifierFrechetDistance', 250)!);
    expect(at('recall', 500)).toBeLessThan(0.3);
    expect(at('coverage', 500)).toBeLessThan(0.3);
    expect(at('ndb', 500)).toBeGreaterThanOrEqual(15);
    expect(at('collapseAlarm', 500)).toBe(1);
    const alarm = recorder.events.find((event) => event.kind === 'collapse');
    expect(alarm?.step).toBe(500);
    expect(alarm?.message).toMatch(/^Possible mode collapse at step 500: classes covered fell to [12] of 10 from a maximum of 10; diversity dropped to 0\.\d+ from a maximum of 0\.9\d+ \(below 0\.5 of it\); 9\d% of generated samples fall in class 1, whose real share is 10%\.$/);
    expect(alarm?.data).toMatchObject({ reasons: ['coverage-drop', 'diversity-drop', 'histogram-concentration'], covered: at('classesCovered', 500), maxCovered: 10, concentratedBin: 1 });
    expect(verdicts.verdict?.id).toBe('mode-collapse');
  });
});
