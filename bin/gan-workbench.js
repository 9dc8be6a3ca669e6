#!/usr/bin/env node
// The `gan-workbench` command. It runs the TypeScript sources through tsx, so a fresh clone
// needs no build step before the first `npx gan-workbench train`.
import { register } from 'tsx/esm/api';

// Only warnings and errors on the terminal; GAN_WORKBENCH_LOG_LEVEL=info shows the service log.
process.env.GAN_WORKBENCH_LOG_LEVEL ??= 'warn';
register();
await import('../src/main/cli/index.ts');
