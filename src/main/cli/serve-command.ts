// `gan-workbench serve`: runs the app in a browser on this machine, for headless machines
// and machines without the Electron binary.
import { createLogger } from '../logger';
import { startServer } from '../server/server';

const log = createLogger('serve-command');

export interface ServeCommandOptions {
  /** TCP port on 127.0.0.1; 0 or absent picks a free one. */
  port?: number;
  /** Path of the SQLite database. */
  db: string;
}

/**
 * Starts the browser-mode server, prints the URL to open, and resolves once SIGINT or SIGTERM
 * has stopped the active runs (they end as 'stopped') and closed the server and database.
 */
export async function runServeCommand(options: ServeCommandOptions): Promise<void> {
  const server = await startServer({ dbPath: options.db, port: options.port });

  process.stdout.write(
    `GAN Workbench is running in browser mode.\n` +
      `Open this URL in a browser on this machine (it carries the access token):\n\n  ${server.url}\n\n` +
      `Database: ${options.db}\n` +
      `Press Ctrl+C to stop; active runs are then stopped and kept in the history as 'stopped'.\n`,
  );

  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const closed = new Promise<void>((resolve, reject) => {
    let stopping = false;
    onSignal = (signal) => {
      if (stopping) {
        // One Ctrl+C under `npm start` arrives twice (from the terminal and from start.js), and
        // no second signal may cut the shutdown short, so repeats are only logged.
        log.debug({ signal }, 'signal repeated during shutdown');
        return;
      }
      stopping = true;
      process.stdout.write(`\nReceived ${signal}; stopping active runs and closing the server...\n`);
      log.info({ signal }, 'shutting down');
      server.close().then(resolve, reject);
    };
  });

  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await closed;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  process.stdout.write('Server stopped.\n');
}
