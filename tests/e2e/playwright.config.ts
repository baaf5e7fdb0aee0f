import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium';

// End-to-end: the real headless backend (out/main/server.js) driven through the real renderer in
// Debian's Chromium. `npm test` builds first; run `npx electron-vite build` before using this alone.
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  globalSetup: '../support/scratch-tmpdir.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: '../../test-results/e2e.json' }]],
  outputDir: '../../test-results/e2e',
  use: {
    launchOptions: chromiumLaunchOptions(),
    viewport: { width: 1400, height: 860 },
    screenshot: 'only-on-failure',
  },
});
