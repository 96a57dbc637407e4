import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/quiet-runtime.ts'],
    // Native modules (DuckDB, Temporal core) are safest in child processes.
    pool: 'forks',
    maxWorkers: 3,
    // Files in one fork share its module cache: DuckDB, Temporal, jsdom and Plot load once per
    // fork, not once per file (most of the suite's CPU on 2 cores). Each file still makes its own
    // warehouse files, task queues and servers, so nothing else is shared.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
