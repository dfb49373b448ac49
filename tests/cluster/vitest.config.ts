import { defineConfig } from 'vitest/config';

/**
 * The cluster test (issue 19): one file of scenarios sharing one cluster, in order, run by tests/cluster/run.sh
 * after it brought Ceph RGW and PostgreSQL up (`npm run test:cluster`). Long timeouts: a scenario restarts
 * instances, the S3 gateway or the database.
 */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['**/*.test.ts'],
    environment: 'node',
    globalSetup: ['../support/global-setup.ts'],
    testTimeout: 10 * 60_000,
    hookTimeout: 5 * 60_000,
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
