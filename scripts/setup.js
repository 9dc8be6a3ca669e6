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
  const args = [command, '--no-audit', '--no-fund'];
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    if (!run('npm', args)) process.exit(1);
    return;
  }
  if (run('npm', args)) return;

  // The usual cause is Electron's postinstall, which downloads the Electron binary from outside
  // the npm registry. The rest of the workbench (CLI, browser mode, tests) does not need it.
  say('npm install failed; trying again without downloading the Electron binary (ELECTRON_SKIP_BINARY_DOWNLOAD=1).');
  say('The desktop window then cannot open, but the CLI and the browser mode work. `npm start` tells how to add Electron later.');
  if (!run('npm', args, { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' })) process.exit(1);
}

checkNode();
if (withTestDeps) installDebianPackages();
installNpmPackages();
if (!run('npx', ['electron-vite', 'build'])) process.exit(1);
say('done. Start the app with `npm start`, or train from the terminal with `npx gan-workbench train --help`.');
