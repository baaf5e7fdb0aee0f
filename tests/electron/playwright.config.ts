import { defineConfig } from '@playwright/test';
import { electronBinary } from './electron-binary';

// The real Electron app through Playwright's _electron. It needs the Electron binary, which `npm install`
// downloads on a user's machine; where it is missing (ELECTRON_SKIP_BINARY_DOWNLOAD=1) every test skips.
const binary = electronBinary();
if ('missing' in binary) console.log(`Electron suite skipped: ${binary.missing}`);

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  workers: 1,
  reporter: [['list'], ['json', { outputFile: '../../test-results/electron.json' }]],
  outputDir: '../../test-results/electron',
});
