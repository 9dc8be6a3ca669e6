// A built-in 2-D mixture as a LoadedDataset: fresh points for every batch, from a seeded generator.
import { createHash } from 'node:crypto';
import type { DatasetIdentity } from '../../shared/run';
import type { LoadedDataset } from './dataset';
import { mixtureCentres, sampleMixture, type MixtureConfig } from './mixtures';
import { createSeededRandom } from './random';
import { checkBatchSize } from './batch-size';

/** Returns the mixture's parameters as one canonical string: the input of its content hash. */
function describeParameters(config: MixtureConfig, centres: [number, number][]): string {
  const parameters = config.kind === 'ring8' ? { modes: config.modes, radius: config.radius } : { side: config.side, spacing: config.spacing };
  return JSON.stringify({ kind: config.kind, ...parameters, std: config.std, centres });
}

/**
 * Creates the dataset for a mixture. `identity.items` is 0 because a mixture has no fixed
 * set of items, and `identity.contentHash` covers the parameters and centres but not the
 * seed, so runs with different seeds on the same mixture share one identity.
 */
export function createMixtureDataset(config: MixtureConfig, seed: number): LoadedDataset {
  const centres = mixtureCentres(config);
  const identity: DatasetIdentity = {
    name: config.kind,
    path: null,
    labelsPath: null,
    items: 0,
    shape: [2],
    contentHash: createHash('sha256').update(describeParameters(config, centres)).digest('hex'),
    centres,
    std: config.std,
  };

  const trainingRandom = createSeededRandom(seed, 'training');

  return {
    identity,
    kind: 'points',
    shape: [2],
    labels: null,
    sampleBatch(batchSize: number): Float32Array {
      checkBatchSize('batchSize', batchSize);
      return sampleMixture(centres, config.std, batchSize, trainingRandom);
    },
    realBatch(n: number): Float32Array {
      checkBatchSize('n', n);
      return sampleMixture(centres, config.std, n, createSeededRandom(seed, 'evaluation'));
    },
  };
}
