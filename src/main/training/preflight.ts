// Checks made before a run is created, so that a bad dataset file or an unavailable forced
// backend is rejected up front and nothing is written to the database.
import type { BackendChoice, DatasetConfig } from '../../shared/config';
import { loadDataset } from '../data/dataset';
import { probeBackends } from './backend';

/** Loads a file-based dataset once to validate it; throws the loader's error when it is bad.
 * The built-in mixtures need no check. */
export async function checkDatasetLoads(dataset: DatasetConfig): Promise<void> {
  if (dataset.kind === 'ring8' || dataset.kind === 'grid25') return;
  await loadDataset(dataset, 0);
}

/** Throws when `choice` forces a backend that cannot load here, naming the reason. */
export async function checkBackendAvailable(choice: BackendChoice): Promise<void> {
  if (choice === 'auto') return;

  const status = (await probeBackends()).find((backend) => backend.name === choice);
  if (status && !status.available) {
    throw new Error(`backend "${choice}" is not available: ${status.reason ?? 'unknown reason'}. Use --backend auto or install it.`);
  }
}
