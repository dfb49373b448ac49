import { defineConfig } from 'vitest/config';

/** The fault-injection suite: one long test that owns its processes, run apart from the unit/integration set. */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['**/*.test.ts'],
    exclude: ['counter-page/**', '**/node_modules/**'],
    environment: 'node',
    globalSetup: ['../support/global-setup.ts'],
    testTimeout: 20 * 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
