// A log folder that cannot be written (as root only a real obstacle holds: here a file where the
// folder should be): the child runs on, the output view shows its lines from memory and says so, the
// status bar says in words that the logs are not written and why, in English and 简体中文.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, startBackend, stopBackend, type Backend } from '../harness';
import { openApp, PYTHON, removeAllChildren, screenshot } from './helpers';

let backend: Backend;
let scratch: string;
test.beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'proctor-e2e-logfault-'));
  // The logs folder is a file: no program's folder can ever be made under it (ENOTDIR).
  mkdirSync(join(scratch, 'proctor'));
  writeFileSync(join(scratch, 'proctor', 'logs'), 'not a folder');
  backend = await startBackend({ env: { XDG_STATE_HOME: scratch } });
  await backend.call('settings:set', { language: 'en' });
});
test.afterAll(async () => {
  await removeAllChildren(backend);
  await stopBackend(backend);
  rmSync(scratch, { recursive: true, force: true });
});

const TICKER =
  'import time\nfor i in range(100000):\n    print(f"tick {i}", flush=True)\n    time.sleep(0.05)';

async function openChild(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name: 'Supervised' }).click();
  await page.getByRole('tabpanel', { name: 'Supervised' }).getByRole('button', { name }).click();
}

test('an unwritable log folder: output from memory in the view, the reason in words in the status bar', async ({
  page,
}) => {
  await openApp(page, backend);
  await backend.call('children:start', { name: 'ticker', command: PYTHON, args: ['-c', TICKER] });
  await openChild(page, 'ticker');
  const status = page.getByTestId('log-warning');
  await expect(status).toHaveText(
    'Logs of ticker are not being written: the directory cannot be written ' +
      '(ENOTDIR: a part of the path is a file, not a directory); the output stays in memory',
  );
  const details = page.getByRole('tabpanel', { name: 'Details' });
  await expect(details.getByTestId('log-in-memory')).toContainText('The log on disk is not being written');
  const log = details.getByRole('log', { name: 'Output' });
  await expect(log).toContainText(/tick [1-9]\d*/);
  // It keeps coming: the child runs on and the view follows it from memory.
  const newest = async () => Number(/tick (\d+)\s*$/.exec((await log.innerText()).trim())?.[1] ?? -1);
  const before = await newest();
  await expect.poll(newest, { timeout: 10_000 }).toBeGreaterThan(before + 5);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await screenshot(page, `logs-unwritable-${scheme}`);
  }
  await backend.call('settings:set', { language: 'zh-CN' });
  await expect(status).toHaveText(
    'ticker 的日志未在写入：目录不可写（ENOTDIR：路径中的某一部分是文件而不是目录）；输出仅保留在内存中',
  );
  await expect(page.getByTestId('log-in-memory')).toContainText('磁盘上的日志未在写入');
  await screenshot(page, 'logs-unwritable-zh-CN');
  await backend.call('settings:set', { language: 'en' });
});
