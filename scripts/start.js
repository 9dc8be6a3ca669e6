#!/usr/bin/env node
// `npm start`: builds the app when out/ is missing or older than the sources, then opens the
// desktop window when the Electron binary is installed. Without it (offline machines cannot
// download it) it prints what is missing and starts the browser mode on 127.0.0.1 instead.
// Plain JavaScript: it runs before anything is built. Extra arguments go to `serve`
// (e.g. `npm start -- --port 8080`).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const binDir = path.join(root, 'node_modules', '.bin');

function say(message) {
  process.stdout.write(`[start] ${message}\n`);
}

/** Newest modification time (ms) of the files under `target`, or 0 when it does not exist. */
function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const info = statSync(target);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** Lists the build outputs electron-vite writes; the preload's extension depends on its output format. */
function buildOutputs() {
  const preloadDir = path.join(root, 'out', 'preload');
  const preload = ['index.cjs', 'index.js', 'index.mjs'].map((name) => path.join(preloadDir, name)).find((file) => existsSync(file));
  return [path.join(root, 'out', 'main', 'index.js'), path.join(root, 'out', 'renderer', 'index.html'), preload];
}

function buildIfStale() {
  const outputs = buildOutputs();
  const missing = outputs.filter((file) => file === undefined || !existsSync(file));
  const oldestOutput = missing.length > 0 ? 0 : Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  const newestSource = Math.max(
    newestMtime(path.join(root, 'src')),
    newestMtime(path.join(root, 'electron.vite.config.ts')),
    newestMtime(path.join(root, 'package.json')),
  );
  if (missing.length === 0 && oldestOutput >= newestSource) {
    say('the build in out/ is up to date');
    return;
  }

  say(missing.length > 0 ? 'out/ is missing or incomplete; building (npm run build)' : 'sources changed since the last build; rebuilding (npm run build)');
  const result = spawnSync(path.join(binDir, 'electron-vite'), ['build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    say(`the build failed (exit code ${result.status ?? result.signal}); fix the errors above and run npm start again`);
    process.exit(result.status ?? 1);
  }
}

/** Finds the Electron executable when its binary was downloaded at install time, else null with the reason. */
function findElectron() {
  const packageDir = path.join(root, 'node_modules', 'electron');
  if (!existsSync(path.join(packageDir, 'package.json'))) return { binary: null, reason: 'the electron npm package is not installed' };

  const pathFile = path.join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return { binary: null, reason: 'the electron package is installed, but its binary was not downloaded (node_modules/electron/path.txt is missing)' };
  }
  const binary = path.join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) return { binary: null, reason: `the Electron binary ${binary} is missing` };

  const version = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')).version;
  return { binary, version, reason: null };
}

/**
 * better-sqlite3 in node_modules is built for Node's ABI (the CLI and tests use it). Electron
 * needs a build for its own ABI, so a copy of the package gets one in node_modules/.cache,
 * and the app receives its path in GAN_WORKBENCH_SQLITE_BINDING (passed to better-sqlite3's
 * `nativeBinding` option). Returns the binding's path, or null when no build could be made.
 */
function electronSqliteBinding(electronVersion) {
  const source = path.join(root, 'node_modules', 'better-sqlite3');
  const copy = path.join(root, 'node_modules', '.cache', 'gan-workbench', `better-sqlite3-electron-${electronVersion}-${process.platform}-${process.arch}`);
  const binding = path.join(copy, 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(binding)) return binding;

  say(`building better-sqlite3 for Electron ${electronVersion} in ${path.relative(root, copy)}`);
  mkdirSync(copy, { recursive: true });
  for (const entry of ['package.json', 'binding.gyp', 'src', 'deps', 'lib']) {
    if (existsSync(path.join(source, entry))) cpSync(path.join(source, entry), path.join(copy, entry), { recursive: true });
  }
  const args = ['--runtime', 'electron', '--target', electronVersion, '--arch', process.arch];
  const result = spawnSync(path.join(binDir, 'prebuild-install'), args, { cwd: copy, stdio: 'inherit' });
  if (result.status === 0 && existsSync(binding)) return binding;

  say(
    'could not get a better-sqlite3 build for Electron (prebuild-install downloads it from GitHub). ' +
      `On a machine with internet access run: npx @electron/rebuild -f -w better-sqlite3 --version ${electronVersion}, ` +
      'or use the browser mode: npx gan-workbench serve',
  );
  return null;
}

/**
 * Runs a child with this terminal, passes SIGINT/SIGTERM on, and exits with its exit code.
 * After Ctrl+C in a terminal the child gets SIGINT twice, from the terminal and from here.
 * The serve command ignores the second one.
 */
function runForeground(command, args, env) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env });
  process.on('SIGINT', () => child.kill('SIGINT'));
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function startDesktop(electron) {
  const binding = electronSqliteBinding(electron.version);
  if (binding === null) return false;

  say(`opening the desktop window (Electron ${electron.version})`);
  runForeground(electron.binary, [root], { ...process.env, GAN_WORKBENCH_SQLITE_BINDING: binding });
  return true;
}

function startBrowserMode(extraArgs) {
  const home = process.env.GAN_WORKBENCH_HOME ?? path.join(homedir(), '.gan-workbench');
  mkdirSync(home, { recursive: true });
  const dbPath = path.join(home, 'workbench.db');

  say(`starting the browser mode with database ${dbPath}`);
  runForeground(process.execPath, [path.join(root, 'bin', 'gan-workbench.js'), 'serve', '--db', dbPath, ...extraArgs], process.env);
}

buildIfStale();

const electron = findElectron();
if (electron.binary && startDesktop(electron)) {
  // The desktop window is running in the foreground.
} else {
  if (!electron.binary) {
    say(`no desktop window: ${electron.reason}.`);
    say(
      'To get the Electron binary, run `node node_modules/electron/install.js` on a machine that can reach the ' +
        'Electron download host (github.com), or with ELECTRON_MIRROR set to a mirror you can reach, then run npm start again.',
    );
  }
  startBrowserMode(process.argv.slice(2));
}
