// Starts a training worker from the TypeScript sources (CLI under tsx, vitest). Node's Worker
// cannot load `.ts` itself, and `--import tsx` in a worker's execArgv is not applied to its entry
// module on Node 20, so this plain module registers tsx and then imports the real entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
