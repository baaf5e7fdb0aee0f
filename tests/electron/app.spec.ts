// The desktop app itself: starts, shows the live tree, starts and terminates a child from the window.
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { electronBinary } from './electron-binary';

const binary = electronBinary();
test.skip('missing' in binary, 'missing' in binary ? binary.missing : '');

let app: ElectronApplication;

test.beforeAll(async () => {
  app = await electron.launch({ args: ['.'] });
});

test.afterAll(async () => {
  if (!app) return;
  // The default quit policy asks in a dialog; a test cannot answer it, so it picks the policy first.
  const window = await app.firstWindow();
  await window.evaluate(() =>
    (window as unknown as { api: import('../../shared/contract').ProctorApi }).api.invoke('settings:set', {
      quitPolicy: 'terminate',
    }),
  );
  await app.close();
});

test('the window shows the live process tree', async () => {
  const window = await app.firstWindow();
  await expect(window.getByRole('treegrid')).toBeVisible();
  await expect(window.getByRole('row').nth(5)).toBeVisible();
});

test('a child started from the window can be terminated from it', async () => {
  const window = await app.firstWindow();
  await window.getByRole('button', { name: /start/i }).first().click();
  const dialog = window.getByRole('dialog');
  await dialog.getByLabel(/command/i).fill('sleep');
  await dialog.getByLabel(/arguments/i).fill('30');
  await dialog.getByRole('button', { name: /^start$/i }).click();
  const row = window.getByRole('row', { name: /sleep 30/ });
  await expect(row).toBeVisible();
  await row.click();
  await window
    .getByRole('button', { name: /terminate/i })
    .first()
    .click();
  await expect(window.getByText(/-15|−15/).first()).toBeVisible({ timeout: 15_000 });
});

test('the sandboxed preload exposes only window.api', async () => {
  const window = await app.firstWindow();
  const exposed = await window.evaluate(() => ({
    api: typeof (window as unknown as { api?: unknown }).api,
    require: typeof (window as unknown as { require?: unknown }).require,
    process: typeof (window as unknown as { process?: unknown }).process,
  }));
  expect(exposed).toEqual({ api: 'object', require: 'undefined', process: 'undefined' });
});
