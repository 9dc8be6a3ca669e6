// One pino logger for the main-side code; each module takes a child named after itself.
import pino from 'pino';

const root = pino({
  name: 'gan-workbench',
  level: process.env.GAN_WORKBENCH_LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'),
  // Logs go to stderr so that `--json` output on stdout stays machine-readable.
}, pino.destination(2));

export type Logger = pino.Logger;

/** Returns the logger for one module, e.g. `createLogger('run-store')`. */
export function createLogger(module: string): Logger {
  return root.child({ module });
}
