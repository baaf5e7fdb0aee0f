import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where e2e screenshots go: test-results/screens, so a test run never changes tracked files.
 * `PROCTOR_SCREENSHOTS_DIR=docs/screenshots npm run test:e2e` refreshes the README's pictures.
 */
export function screenshotPath(name: string): string {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const dir = resolve(root, process.env.PROCTOR_SCREENSHOTS_DIR ?? 'test-results/screens');
  mkdirSync(dir, { recursive: true });
  return resolve(dir, `${name}.png`);
}
