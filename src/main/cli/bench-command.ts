// `gan-workbench bench`: milliseconds per training step on the active backend, for the two
// shapes the project compares against PyTorch (docs/benchmarks.md). A benchmark, not a test.
import * as tf from '@tensorflow/tfjs';
import { parseRunConfig, type BackendChoice, type RunConfig, type RunConfigInput } from '../../shared/config';
import { selectBackend } from '../training/backend';
import { GanStep } from '../training/gan-step';
import { UsageError } from './usage-error';

export interface BenchCommandOptions {
  backend?: string;
  steps?: string;
  warmup?: string;
  shape?: string;
  json?: boolean;
}

interface BenchShape {
  id: 'dcgan-small' | 'mlp-2d';
  description: string;
  dataShape: number[];
  config: RunConfigInput;
}

const SHAPES: BenchShape[] = [
  {
    id: 'dcgan-small',
    description: 'G: dense 64→7·7·64 + BN, convT 64→32 + BN, convT 32→1; D: conv 1→32, conv 32→64, dense→1; batch 64, 28×28×1, Adam',
    dataShape: [28, 28, 1],
    config: {
      dataset: { kind: 'fashion-mnist' },
      model: { architecture: 'dcgan', latentSize: 64, generator: { width: 32, depth: 0, normalization: 'batch' }, discriminator: { width: 32, depth: 0, normalization: 'none' } },
      batchSize: 64,
    },
  },
  {
    id: 'mlp-2d',
    description: 'G (latent 16) and D: two hidden layers of 128 units, batch 256, 2-D data, Adam',
    dataShape: [2],
    config: {
      dataset: { kind: 'ring8' },
      model: { architecture: 'mlp', latentSize: 16, generator: { width: 128, depth: 2, normalization: 'none' }, discriminator: { width: 128, depth: 2, normalization: 'none' } },
      batchSize: 256,
    },
  },
];

function positiveInteger(text: string | undefined, fallback: number, flag: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag} expects a positive integer, but got "${text}"`);
  return value;
}

/** Random data of the right shape: the step's cost does not depend on the pixel values. */
function syntheticSource(dataShape: number[]): (batchSize: number) => Float32Array {
  const size = dataShape.reduce((a, b) => a * b, 1);
  return (batchSize) => {
    const batch = new Float32Array(batchSize * size);
    for (let i = 0; i < batch.length; i++) batch[i] = Math.random() * 2 - 1;
    return batch;
  };
}

function measure(shape: BenchShape, backend: BackendChoice, warmup: number, steps: number): number {
  const parsed = parseRunConfig({ ...shape.config, backend, loss: { kind: 'ns' } });
  if (!parsed.ok) throw new Error(`benchmark config for ${shape.id} is invalid`);
  const config: RunConfig = parsed.config;
  const gan = new GanStep(config, shape.dataShape);
  const source = syntheticSource(shape.dataShape);

  try {
    for (let step = 1; step <= warmup; step++) gan.run(step, source, false);
    // Read one value so that queued work (on asynchronous backends) is done before timing.
    gan.run(warmup + 1, source, true);

    const started = performance.now();
    for (let step = 1; step <= steps; step++) gan.run(warmup + 1 + step, source, step === steps);
    return (performance.now() - started) / steps;
  } finally {
    gan.dispose();
  }
}

export async function runBenchCommand(options: BenchCommandOptions): Promise<number> {
  const steps = positiveInteger(options.steps, 20, '--steps');
  const warmup = positiveInteger(options.warmup, 3, '--warmup');
  const choice = (options.backend ?? 'auto') as BackendChoice;
  const shapes = options.shape ? SHAPES.filter((shape) => shape.id === options.shape) : SHAPES;
  if (shapes.length === 0) throw new UsageError(`--shape must be one of ${SHAPES.map((s) => s.id).join(', ')}, but got "${options.shape}"`);

  const backend = await selectBackend(choice);
  const results = shapes.map((shape) => ({
    shape: shape.id,
    description: shape.description,
    msPerStep: measure(shape, choice, warmup, steps),
    steps,
  }));
  const report = { backend: backend.name, gpu: backend.gpu, tfjsVersion: tf.version.tfjs, node: process.version, results };

  if (options.json) {
    process.stdout.write(JSON.stringify(report) + '\n');
    return 0;
  }
  process.stdout.write(`backend: ${backend.name}${backend.gpu ? ' (GPU)' : ''}, tfjs ${tf.version.tfjs}, Node ${process.version}\n`);
  for (const result of results) {
    process.stdout.write(`${result.shape.padEnd(12)} ${result.msPerStep.toFixed(1).padStart(9)} ms/step  (${result.steps} steps after warm-up; ${result.description})\n`);
  }
  return 0;
}
