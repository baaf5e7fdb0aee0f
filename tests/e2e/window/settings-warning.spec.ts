// A settings file with a bad and an unknown field: the window says which, in its language, in the status
// bar (the details and where the file is kept on hover). And an exited child dropped by the keepExited
// cap is a notice, not a silent disappearance.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, startBackend, stopBackend, type Backend } from '../harness';
import { screenshotPath } from '../screenshots';
import { screenshot } from './helpers';

let backend: Backend;

test.beforeAll(async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'proctor-e2e-settings-')), 'settings.json');
  writeFileSync(file, JSON.stringify({ language: 'zh-CN', graceMs: -1, fromTheFuture: true }));
  backend = await startBackend({ settingsFile: file, captureStderr: true });
});

test.afterAll(async () => {
  await stopBackend(backend);
});

test('the status bar names each ignored field, in 简体中文 and in English', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(backend.url);
  const status = page.getByRole('contentinfo');
  const warning = status.getByRole('status');
  await expect(warning).toHaveText(
    '设置文件：graceMs = -1 无效，已改用 5000；未知设置 fromTheFuture，已忽略',
  );
  await expect(warning).toHaveAttribute('title', /graceMs must not be negative[\s\S]*\.bad-<时间>/);
  await screenshot(page, 'settings-warning-dark-zh-CN');
  await status.screenshot({ path: screenshotPath('settings-warning-bar-dark-zh-CN') });

  await backend.call('settings:set', { language: 'en', keepExitedPerName: 1 });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.reload();
  await expect(warning).toHaveText(
    'Settings file: graceMs = -1 ignored, using 5000; unknown setting fromTheFuture ignored',
  );
  // The save kept the file as the user had it: the tooltip says where.
  await expect(warning).toHaveAttribute('title', /The file as it was is kept as .*settings\.json\.bad-/);

  for (let i = 0; i < 2; i++) {
    const child = await backend.call('children:start', { command: 'true', name: 'once' });
    await backend.call('children:join', { id: child.id, timeoutMs: 5_000 });
  }
  await expect(
    page.getByText(/^Dropped exited child once \(c\d+\): the last 1 of each name are kept/),
  ).toBeVisible();
  await screenshot(page, 'settings-warning-light-en');
});
