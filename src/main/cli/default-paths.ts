import { homedir } from 'node:os';
import { join } from 'node:path';

/** Returns the database path of the CLI and the browser mode when `--db` is not given. The
 * desktop app uses Electron's user-data folder instead. */
export function defaultDatabasePath(): string {
  return join(process.env.GAN_WORKBENCH_HOME ?? join(homedir(), '.gan-workbench'), 'workbench.db');
}
