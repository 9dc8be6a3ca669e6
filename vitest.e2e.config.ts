import { defineConfig } from 'vitest/config';

// End-to-end tests: the browser-mode server with the real renderer in Debian's Chromium.
// They train real runs, so they run one at a time with long timeouts.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 300_000,
    maxWorkers: 1,
    fileParallelism: false,
  },
});
