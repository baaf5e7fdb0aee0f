// Crashes in the window: the browser's Notification API fires when Playwright grants it (the page's
// fallback notice when it is not), the post-mortem opens with the exit in words, its curve, family and
// last lines; the notification settings switch kinds off and check the webhook URL as it is typed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, startBackend, stopBackend, type Backend } from '../harness';
import { openApp, PYTHON, screenshot } from './helpers';

let backend: Backend;
let state: string;
test.beforeAll(async () => {
  state = mkdtempSync(join(tmpdir(), 'proctor-e2e-notify-'));
  backend = await startBackend({ env: { XDG_STATE_HOME: state } });
});
test.afterAll(async () => {
  await stopBackend(backend);
  rmSync(state, { recursive: true, force: true });
});
test.beforeEach(async () => {
  await backend.call('settings:set', { language: 'en', notifyCrash: true, webhookUrl: '' });
});
test.afterEach(async () => {
  for (const child of await backend.call('children:list', {})) {
    if (child.state === 'running') await backend.call('children:kill', { id: child.id });
    await backend.call('children:join', { id: child.id, timeoutMs: 5000 });
    await backend.invoke('children:remove', { id: child.id });
  }
});

/** Records each Notification the page makes, then lets the browser's own show it. */
async function recordNotifications(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const Real = window.Notification;
    const made: Array<{ title: string; body: string }> = [];
    (window as unknown as { madeNotifications: typeof made }).madeNotifications = made;
    class Recorded extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        made.push({ title, body: options?.body ?? '' });
      }
    }
    window.Notification = Recorded as typeof Notification;
  });
}

const made = (page: Page) =>
  page.evaluate(
    () => (window as unknown as { madeNotifications: Array<{ body: string }> }).madeNotifications,
  );

/** A child that prints a few coloured lines, burns a little CPU, then dies of SIGSEGV. */
const SEGFAULT = [
  'import os, signal, sys, time',
  'for i in range(20): print(f"\\x1b[32mworking\\x1b[0m on item {i}", flush=True)',
  'print("\\x1b[31mabout to fail\\x1b[0m", file=sys.stderr, flush=True)',
  'end = time.time() + 2.5',
  'while time.time() < end: sum(range(10000))',
  'os.kill(os.getpid(), signal.SIGSEGV)',
].join('\n');

test.describe('with notifications granted', () => {
  test.use({ permissions: ['notifications'] });

  test('a crash fires a browser notification, and its post-mortem opens in the window', async ({ page }) => {
    await recordNotifications(page);
    await openApp(page, backend);
    await expect.poll(() => page.evaluate(() => Notification.permission)).toBe('granted');
    await backend.call('children:start', { name: 'segv', command: PYTHON, args: ['-c', SEGFAULT] });
    await expect
      .poll(() => made(page), { timeout: 20_000 })
      .toEqual([
        { title: 'Proctor', body: expect.stringMatching(/^segv crashed: -11 SIGSEGV: segmentation fault/) },
      ]);

    await page.getByRole('tab', { name: 'Crashes' }).click();
    const panel = page.getByRole('tabpanel', { name: 'Crashes' });
    await panel.getByRole('button', { name: /^Open the post-mortem of segv/ }).click();
    await expect(panel.getByTestId('pm-reason')).toContainText('−11: terminated by SIGSEGV');
    await expect(panel.getByTestId('pm-reason')).toContainText('-11 SIGSEGV: segmentation fault');
    const lines = panel.getByRole('log', { name: /^Last \d+ lines$/ });
    await expect(lines).toContainText('working on item 19');
    await expect(lines.locator('.ansi-red-fg', { hasText: 'about to fail' })).toBeVisible();
    await expect(panel.getByRole('img', { name: /^CPU \(peak .+\), Memory \(peak .+\)$/ })).toBeVisible();
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await screenshot(page, `postmortem-${scheme}`);
    }
    await backend.call('settings:set', { language: 'zh-CN' });
    const zhPanel = page.getByRole('tabpanel', { name: '崩溃' });
    await expect(zhPanel.getByTestId('pm-reason')).toContainText('SIGSEGV');
    await expect(page.getByRole('heading', { name: '退出时的进程家族' })).toBeVisible();
    await screenshot(page, 'postmortem-zh-CN');
  });

  test('a kind turned off in the settings is not told', async ({ page }) => {
    await recordNotifications(page);
    await openApp(page, backend);
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByRole('checkbox', { name: 'a program crashes' }).uncheck();
    await expect.poll(async () => (await backend.call('settings:get', {})).notifyCrash).toBe(false);
    const posted: unknown[] = [];
    await backend.call('children:start', { name: 'hushed', command: 'sh', args: ['-c', 'exit 4'] });
    await expect
      .poll(async () => (await backend.call('postmortems:list', { name: 'hushed' })).length)
      .toBe(1);
    await page.waitForTimeout(500);
    posted.push(...(await made(page)));
    expect(posted).toEqual([]);
  });
});

test('without permission the crash shows inside the page', async ({ page }) => {
  await openApp(page, backend);
  await backend.call('children:start', { name: 'fallback', command: 'sh', args: ['-c', 'exit 9'] });
  await expect(page.getByText('fallback crashed: exit code 9')).toBeVisible({ timeout: 20_000 });
});

test('notification settings: webhook URL checked as typed, in both themes and zh-CN', async ({ page }) => {
  await openApp(page, backend);
  await page.getByRole('tab', { name: 'Settings' }).click();
  const settings = page.getByRole('group', { name: 'Notifications' });
  await settings.scrollIntoViewIfNeeded();
  const url = settings.getByRole('textbox', { name: 'Webhook URL' });
  await url.fill('ftp://example.com/hook');
  await expect(settings.getByRole('alert')).toHaveText(
    'Enter an http:// or https:// address with a host, or leave it empty.',
  );
  await url.press('Tab');
  // Refused in the window: the backend keeps what it had.
  expect((await backend.call('settings:get', {})).webhookUrl).toBe('');
  await url.fill('http://127.0.0.1:9/hook');
  await expect(settings.getByRole('alert')).toBeHidden();
  await url.press('Tab');
  await expect
    .poll(async () => (await backend.call('settings:get', {})).webhookUrl)
    .toBe('http://127.0.0.1:9/hook');
  await url.fill('not a url');
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await screenshot(page, `notify-settings-${scheme}`);
  }
  await backend.call('settings:set', { language: 'zh-CN' });
  await expect(page.getByRole('group', { name: '通知' })).toBeVisible();
  await screenshot(page, 'notify-settings-zh-CN');
  await backend.call('settings:set', { webhookUrl: '' });
});
