import { defineConfig } from 'vitest/config';

// Core and contract tests run real processes: forks keep each file's children and signals apart.
export default defineConfig({
  test: {
    include: [
      'tests/core/**/*.test.ts',
      'tests/contract/**/*.test.ts',
      'tests/main/**/*.test.ts',
      'tests/lint/**/*.test.ts',
      'tests/cli/**/*.test.ts',
      'tests/renderer/**/*.test.ts',
    ],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    fileParallelism: true,
    maxWorkers: 2,
    globalSetup: ['tests/support/scratch-tmpdir.ts'],
  },
});
