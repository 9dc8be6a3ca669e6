#!/usr/bin/env node
// `npm run setup`: installs the npm dependencies and builds the app, also on machines that
// cannot reach Electron's or TensorFlow's download hosts. With `--test-deps` it also installs
// the Debian packages the tests use (Chromium for the end-to-end tests, Fashion-MNIST).
// Plain JavaScript: it runs before anything is installed or built.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const TEST_PACKAGES = ['chromium', 'dataset-fashion-mnist'];
const withTestDeps = process.argv.includes('--test-deps');

function say(message) {
  process.stdout.write(`[setup] ${message}\n`);
}

function run(command, args, env = process.env) {
  say(`${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  return result.status === 0;
}

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    say(`Node ${process.versions.node} is too old: the build tools (Vite 8, electron-vite 6) need Node 20.19 or newer.`);
    process.exit(1);
  }
}

function installDebianPackages() {
  const missing = TEST_PACKAGES.filter((name) => spawnSync('dpkg', ['-s', name], { stdio: 'ignore' }).status !== 0);
  if (missing.length === 0) return;

  const asRoot = process.getuid?.() === 0;
  const prefix = asRoot ? [] : ['sudo'];
  if (!asRoot && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status !== 0) {
    say(`missing Debian packages: ${missing.join(', ')}. Install them with: sudo apt-get install ${missing.join(' ')}`);
    process.exit(1);
  }
  const apt = (...args) => run(prefix[0] ?? 'apt-get', prefix.length ? ['apt-get', ...args] : args, { ...process.env, DEBIAN_FRONTEND: 'noninteractive' });
  if (!apt('update', '-q') || !apt('install', '-y', '-q', ...missing)) {
    say(`apt-get could not install ${missing.join(', ')}; install them by hand and run this again.`);
    process.exit(1);
  }
}

function installNpmPackages() {
  const command = existsSync('package-lock.json') ? 'ci' : 'install';
  // Electron's postinstall downloads its binary from outside the npm registry and fails the
  // whole install where that host cannot be reached, so the packages install without it and
  // the binary is fetched separately below.
  if (!run('npm', [command, '--no-audit', '--no-fund'], { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' })) process.exit(1);
}

function downloadElectronBinary() {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    say('ELECTRON_SKIP_BINARY_DOWNLOAD is set: the Electron binary was not downloaded. The CLI and the browser mode work without it.');
    return;
  }
  say('downloading the Electron binary (node node_modules/electron/install.js)');
  const result = spawnSync('node', ['node_modules/electron/install.js'], { encoding: 'utf8' });
  if (result.status === 0) return;

  const reason = `${result.stderr ?? ''}${result.stdout ?? ''}`.split('\n').find((line) => /error/i.test(line))?.trim() ?? `exit code ${result.status}`;
  say(`could not download the Electron binary (${reason}).`);
  say('The desktop window needs it; the CLI and the browser mode do not. `npm start` serves the app to a browser instead.');
  say('To add it later on a machine that reaches the download host: node node_modules/electron/install.js (or set ELECTRON_MIRROR).');
}

function reportOptionalBackends() {
  const missing = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'].filter((name) => !existsSync(`node_modules/${name}`));
  if (missing.length === 0) return;
  say(`optional native TensorFlow backends not installed: ${missing.join(', ')} (their install script downloads libtensorflow).`);
  say('Training uses the wasm backend instead; the README lists what the native ones need.');
}

checkNode();
if (withTestDeps) installDebianPackages();
installNpmPackages();
downloadElectronBinary();
reportOptionalBackends();
if (!run('npx', ['electron-vite', 'build'])) process.exit(1);
say('done. Start the app with `npm start`, or train from the terminal with `npx gan-workbench train --help`.');
