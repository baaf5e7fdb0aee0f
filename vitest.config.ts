import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    // Children's logs on disk go to a throwaway state directory, never the user's.
    env: { XDG_STATE_HOME: join(tmpdir(), 'proctor-test-state') },
  },
});
