// The output view reads the logs on disk: ANSI colours and `\r` progress lines as a terminal shows them,
// a 200,000-line flood paged, searched (count, next match in context) from the same store, gaps and
// restarts marked; post-mortems in the window; notification settings; the browser's Notification API.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, startBackend, stopBackend, type Backend } from '../harness';
import { openApp, PYTHON, screenshot } from './helpers';

// A backend of its own, its logs in a throwaway state directory rather than the user's.
let backend: Backend;
let state: string;
test.beforeAll(async () => {
  state = mkdtempSync(join(tmpdir(), 'proctor-e2e-logs-'));
  backend = await startBackend({ env: { XDG_STATE_HOME: state } });
  await backend.call('settings:set', { language: 'en' });
});
test.afterAll(async () => {
  await stopBackend(backend);
  rmSync(state, { recursive: true, force: true });
});
test.afterEach(async () => {
  await backend.call('settings:set', { language: 'en' });
  for (const child of await backend.call('children:list', {})) {
    if (child.state === 'running') await backend.call('children:kill', { id: child.id });
    await backend.call('children:join', { id: child.id, timeoutMs: 5000 });
    await backend.invoke('children:remove', { id: child.id });
  }
});

/** Starts a child that stays running, and opens its details in the window. */
async function showChild(page: Page, name: string, script: string): Promise<void> {
  const child = await backend.call('children:start', { name, command: PYTHON, args: ['-c', script] });
  expect(child.pid).not.toBeNull();
  await openApp(page, backend);
  await openFromSupervised(page, name);
}

async function openFromSupervised(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name: 'Supervised' }).click();
  await page.getByRole('tabpanel', { name: 'Supervised' }).getByRole('button', { name }).click();
  await expect(page.getByRole('tabpanel', { name: 'Details' }).getByRole('heading', { name })).toBeVisible();
}

const output = (page: Page) =>
  page.getByRole('tabpanel', { name: 'Details' }).getByRole('log', { name: 'Output' });

test('colours and progress lines render as a terminal shows them, in both themes and zh-CN', async ({
  page,
}) => {
  const script = [
    'import sys, time',
    String.raw`print("\x1b[31mERROR\x1b[0m disk \x1b[1;32mOK\x1b[0m \x1b[33mwarn\x1b[0m \x1b[34mblue\x1b[0m \x1b[35mmagenta\x1b[0m \x1b[36mcyan\x1b[0m")`,
    String.raw`print("progress 10%\rprogress 55%\rprogress 100% done")`,
    String.raw`for i in range(30): print(f"step {i} \x1b[2mdim\x1b[0m \x1b[4munderlined\x1b[0m")`,
    'print("to stderr", file=sys.stderr)',
    'sys.stdout.flush(); sys.stderr.flush(); time.sleep(600)',
  ].join('\n');
  await showChild(page, 'painter', script);
  const log = output(page);
  await expect(log).toContainText('to stderr');
  // The view follows the tail; the first lines are up the scroll.
  await log.evaluate((el) => (el.scrollTop = 0));
  await expect(log).toContainText('progress 100% done');
  // No escape code reaches the screen; the colours are ansi_up's classes.
  await expect(log).not.toContainText('\x1b');
  await expect(log).not.toContainText('[31m');
  await expect(log.locator('.ansi-red-fg', { hasText: 'ERROR' })).toBeVisible();
  await expect(log.locator('.ansi-green-fg.ansi-bold', { hasText: 'OK' })).toBeVisible();
  await expect(log.locator('.ansi-faint', { hasText: 'dim' }).first()).toBeVisible();
  // What `\r` overwrote is gone, as on a terminal.
  await expect(log).not.toContainText('progress 10%');
  // The run's separator, then each line with its time when asked.
  await page.getByRole('checkbox', { name: 'Times' }).check();
  await expect(log.getByText(/— started at \d\d:\d\d:\d\d —/)).toBeVisible();
  await expect(log.locator('.time').first()).toHaveText(/^\d\d:\d\d:\d\d\.\d{3}$/);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await screenshot(page, `logs-colours-${scheme}`);
  }
  await backend.call('settings:set', { language: 'zh-CN' });
  await expect(page.getByRole('checkbox', { name: '时间' })).toBeVisible();
  const zhLog = page.getByRole('tabpanel', { name: '详情' }).getByRole('log', { name: '输出' });
  await zhLog.evaluate((el) => (el.scrollTop = 0));
  await expect(zhLog.getByText(/— 于 \d\d:\d\d:\d\d 启动 —/)).toBeVisible();
  await screenshot(page, 'logs-colours-zh-CN');
});

test('a 200,000-line flood: the view pages to the end, search counts and steps through the same lines', async ({
  page,
}) => {
  await showChild(
    page,
    'flood',
    'import sys, time\nsys.stdout.writelines(f"line {i}\\n" for i in range(200000))\nsys.stdout.flush(); time.sleep(600)',
  );
  // On a loaded machine the flood can take a minute to go through the backend to the disk.
  test.setTimeout(240_000);
  const log = output(page);
  // The tail: the last line the child wrote, nothing dropped on the way.
  await expect(log.getByText('line 199999', { exact: true })).toBeVisible({ timeout: 90_000 });
  expect((await backend.call('logs:list', {})).find((p) => p.name === 'flood')?.dropped).toBe(0);

  const box = page.getByRole('searchbox', { name: 'Search output' });
  await box.fill('line 195000');
  const count = page.getByTestId('match-count');
  await expect(count).toHaveText('matches: 1');
  await box.press('Enter');
  await expect(count).toHaveText('1 of 1');
  const current = log.locator('.row.current');
  await expect(current).toHaveText('line 195000');
  await expect(current.locator('mark')).toHaveText('line 195000');
  // Context kept: the lines around the match are still there, not filtered away.
  await expect(log.getByText('line 194999', { exact: true })).toBeVisible();
  await expect(log.getByText('line 195001', { exact: true })).toBeVisible();

  // "line 5": 5, 50–59, 500–599, 5000–5999, 50000–59999 = 11,111 lines, counted over the whole log.
  await box.fill('line 5');
  await expect(count).toHaveText('matches: 11111', { timeout: 60_000 });
  await box.press('Enter');
  await expect(count).toHaveText('1 of 11111');
  await expect(log.locator('.row.current')).toHaveText('line 5');
  await box.press('Enter');
  await expect(log.locator('.row.current')).toHaveText('line 50');
  await box.press('Shift+Enter');
  await box.press('Shift+Enter');
  await expect(count).toHaveText('11111 of 11111');
  await expect(log.locator('.row.current')).toHaveText('line 59999');
  // A regex, case-sensitive, on stderr only: nothing there.
  await page.getByRole('checkbox', { name: 'Regex' }).check();
  await box.fill('^line 1999\\d\\d$');
  await expect(count).toHaveText('matches: 100');
  await page.getByRole('combobox', { name: 'Stream to search' }).selectOption('stderr');
  await expect(count).toHaveText('No matches');
});

test('a gap of dropped lines and each restart are marked where they are', async ({ page }) => {
  // A log from before, with the note the writer leaves where the disk could not keep up.
  const dir = join(state, 'proctor', 'logs', 'gappy');
  mkdirSync(dir, { recursive: true });
  const at = new Date().toISOString();
  writeFileSync(
    join(dir, '000000000000.log'),
    `${at} 1 O before the gap\n${at} 0 N 773 lines dropped: the disk was slower than the program, full or unwritable\n${at} 2 O after the gap\n`,
  );
  const child = await backend.call('children:start', {
    name: 'gappy',
    command: 'sh',
    args: ['-c', 'echo run output; exit 3'],
    restart: { policy: 'on-failure', maxRetries: 2, backoffMs: 100, maxBackoffMs: 200 },
  });
  await expect
    .poll(async () => (await backend.call('children:list', {})).find((c) => c.id === child.id)?.state, {
      timeout: 20_000,
    })
    .toBe('fatal');
  await openApp(page, backend);
  await openFromSupervised(page, 'gappy');
  const log = output(page);
  await log.evaluate((el) => (el.scrollTop = 0));
  await expect(log.getByText('— 773 lines dropped here —')).toBeVisible();
  await expect(log.getByText(/— started at/)).toBeVisible();
  await expect(log.getByText(/— restart 1 at/)).toBeVisible();
  await expect(log.getByText(/— restart 2 at/)).toBeVisible();
  await screenshot(page, 'logs-gap-restarts');
});
