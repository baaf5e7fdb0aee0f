// A failing monitor tick is not silent: the status bar says why while ticks fail, and the line goes away
// once one succeeds. The backend runs in this process, so its source can be made to fail on cue.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { failingSource } from '../../support/failing-source';
import { ProctorService } from '../../../electron/core/service';
import { startHeadlessServer, type HeadlessServer } from '../../../electron/server/server';
import { test, expect } from '../harness';
import { screenshot } from './helpers';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const source = failingSource();
let service: ProctorService;
let server: HeadlessServer;
const token = 'problem-spec-token-0123456789abcdef';

test.beforeAll(async () => {
  service = new ProctorService({
    version: 'test',
    transport: 'websocket',
    settingsFile: join(mkdtempSync(join(tmpdir(), 'proctor-problem-')), 'settings.json'),
    source,
  });
  await service.start();
  server = await startHeadlessServer(service, {
    host: '127.0.0.1',
    port: 0,
    token,
    rendererRoot: join(repoRoot, 'out', 'renderer'),
  });
});

test.afterAll(async () => {
  await service.shutdown('terminate');
  await server.close();
});

test('a failing tick shows in the status bar until a tick succeeds', async ({ page }) => {
  for (const scheme of ['dark', 'light'] as const) {
    source.failWith = null;
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(server.url);
    const status = page.getByRole('contentinfo', { name: 'Status' });
    await expect(status).toContainText('processes');
    source.failWith = 'EMFILE: too many open files, open /proc/1/stat';
    await expect(status.getByRole('alert')).toHaveText(
      'sampling failed: EMFILE: too many open files, open /proc/1/stat',
    );
    await screenshot(page, `status-problem-${scheme}`);
    source.failWith = null;
    await expect(status.getByRole('alert')).toHaveCount(0);
  }
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
  source.failWith = '/proc is not mounted';
  const status = page.getByRole('contentinfo', { name: '状态' });
  await expect(status.getByRole('alert')).toHaveText('采样失败：/proc is not mounted');
  await screenshot(page, 'status-problem-zh-CN');
  source.failWith = null;
  await expect(status.getByRole('alert')).toHaveCount(0);
});
