// The e2e fixtures: a real headless Proctor backend per worker, a page that fails its test on any console
// error, and a Node-side contract client for setting up and checking state beside the UI.
import { test as base, expect, type Page } from '@playwright/test';
import { startBackend, stopBackend, type Backend } from '../support/backend-process';

export { startBackend, stopBackend, type Backend };

/** Collects console errors and page errors; the `page` fixture fails the test if any arrived. */
function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

export const test = base.extend<object, { backend: Backend }>({
  backend: [
    async ({}, use) => {
      const backend = await startBackend();
      await use(backend);
      await stopBackend(backend);
    },
    { scope: 'worker' },
  ],
  page: async ({ page }, use) => {
    const errors = watchConsole(page);
    await use(page);
    expect(errors, 'console errors during the test').toEqual([]);
  },
});

export { expect };
