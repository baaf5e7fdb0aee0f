// A restarted headless server keeps its address, so a tab left open comes back by itself; while it is
// down, the tab says so: the tree is dimmed under the banner and Start says why it cannot go through
// (issue 13, items 19 and 20).
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from '../harness';
import { startBackend, stopBackend, type Backend } from '../../support/backend-process';
import { screenshot } from './helpers';

const settingsFile = join(mkdtempSync(join(tmpdir(), 'proctor-keep-')), 'settings.json');
const keptFile = join(settingsFile, '..', 'headless.json');

const running: Backend[] = [];
async function serve(args: string[] = []): Promise<Backend> {
  const backend = await startBackend({ settingsFile, keepAddress: true, args });
  running.push(backend);
  return backend;
}

test.afterEach(async () => {
  for (const backend of running.splice(0)) await stopBackend(backend);
});

async function expectLive(page: Page): Promise<void> {
  await expect(page.getByRole('alert').filter({ hasText: 'Connection lost' })).toHaveCount(0);
  await expect(page.getByTestId('tree-column')).toHaveCSS('opacity', '1');
}

test('headless mode keeps its port and token across restarts; --new-token and --port 0 opt out', async () => {
  const first = await serve();
  const kept = JSON.parse(readFileSync(keptFile, 'utf8')) as { port: number; token: string };
  expect(kept).toEqual({ port: Number(new URL(first.url).port), token: first.token });
  expect(statSync(keptFile).mode & 0o777).toBe(0o600);
  await stopBackend(first);

  const second = await serve();
  expect(second.url).toBe(first.url);
  await stopBackend(second);

  const renewed = await serve(['--new-token']);
  expect(renewed.origin).toBe(first.origin);
  expect(renewed.token).not.toBe(first.token);
  await stopBackend(renewed);

  const anyPort = await serve(['--port', '0']);
  expect(anyPort.token).toBe(renewed.token);
  expect(JSON.parse(readFileSync(keptFile, 'utf8'))).toEqual({ port: kept.port, token: renewed.token });
  await stopBackend(anyPort);
});

test('an open tab rides out a server restart: dimmed and saying why while it is down, live again after', async ({
  browser,
}) => {
  // Two restarts of the server, each waited out by the page's reconnect backoff.
  test.setTimeout(120_000);
  // Its own page: Chromium logs the refused reconnects as console errors, which is what this test is about.
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  let backend = await serve();
  await page.goto(backend.url);
  await expect(page.getByRole('row').nth(1)).toBeVisible();
  await expectLive(page);

  for (const language of ['en', 'zh-CN'] as const) {
    await backend.call('settings:set', { language });
    await expect(page.locator('html')).toHaveAttribute('lang', language);
    await stopBackend(backend);
    const banner = page.getByRole('alert').first();
    await expect(page.getByTestId('tree-column')).toHaveCSS('opacity', '0.45');
    if (language === 'en') {
      await expect(banner).toHaveText(
        'Connection lost, reconnecting… The tree below is the last sample before the loss; actions wait until it is back.',
      );
      await page.getByRole('button', { name: 'Start…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Start a process' });
      await dialog.getByRole('textbox', { name: 'Command' }).fill('sleep');
      await dialog.getByRole('button', { name: 'Start' }).click();
      await expect(dialog.getByRole('alert')).toHaveText(
        'Cannot start now: the connection to the Proctor backend is lost. It reconnects on its own; try again when the banner is gone.',
      );
      for (const scheme of ['dark', 'light'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await screenshot(page, `offline-start-${scheme}`);
      }
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await screenshot(page, 'offline-tree-light');
    } else {
      await expect(banner).toContainText('连接已断开');
      await page.getByRole('button', { name: '启动…' }).click();
      await page.getByRole('dialog').getByRole('textbox', { name: '命令' }).fill('sleep');
      await page.getByRole('dialog').getByRole('button', { name: '启动', exact: true }).click();
      await expect(page.getByRole('dialog').getByRole('alert')).toContainText('现在无法启动');
      await screenshot(page, 'offline-start-zh-CN');
      await page.getByRole('dialog').getByRole('button', { name: '取消' }).click();
    }
    // The same address again: the tab reconnects by itself, with no new URL to open.
    backend = await serve();
    await expectLive(page);
  }
  await backend.call('settings:set', { language: 'en' });
  await page.close();
});
