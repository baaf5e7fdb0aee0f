// The optional columns (issue 19): chosen in Settings and kept across a reload; a dd writer's disk rate;
// who holds a Python http.server's port, found with the `:PORT` search; renice from the row's menu, and
// EPERM in words for a user who may not; screenshots of each column in both themes and 简体中文.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { OPTIONAL_COLUMNS } from '../../../shared/columns';
import { startBackend, stopBackend, test, expect, type Backend } from '../harness';
import { openApp, PYTHON, rowOf, screenshot, tree } from './helpers';

const READERS = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/readers');
const LABELS = [
  'Disk read rate',
  'Disk write rate',
  'Listening ports and connections',
  'GPU use and memory',
  'Cgroup: systemd unit or container',
  'Nice and priority',
  'Role in Python multiprocessing',
];
/** A column's header, by its sort button (which names the column in full). */
const header = (page: Page, label: string) => tree(page).getByRole('button', { name: `Sort by ${label}` });
/** What the test started; a group is killed whole (a multiprocessing family's Manager and tracker too). */
const started: Array<{ child: ChildProcess; group: boolean }> = [];

function run(command: string, args: string[], group = false): ChildProcess {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'], detached: group });
  started.push({ child, group });
  return child;
}

async function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolveLine) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolveLine(text.split('\n')[0]!);
    });
  });
}

test.afterEach(async ({ backend }) => {
  for (const { child, group } of started.splice(0)) {
    try {
      if (group) process.kill(-child.pid!, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  await backend.call('settings:set', { language: 'en', columns: [] });
});

async function chooseColumns(page: Page, labels: string[]): Promise<void> {
  await page.getByRole('tab', { name: 'Settings' }).click();
  for (const label of labels) await page.getByRole('checkbox', { name: label }).check();
}

test('columns chosen in Settings show, are kept across a reload, and answer for real processes', async ({
  page,
  backend,
}) => {
  // Three fixtures, a reload and three screenshots: more than the default minute on a shared machine.
  test.setTimeout(150_000);
  // A dd writing 20 MiB/s, a Python http.server and a multiprocessing family under the spawn method.
  // Its folder's name has "python" in it, so the filter that frames the screenshots keeps dd's row too.
  const file = join(mkdtempSync(join(tmpdir(), 'proctor-e2e-python-dd-')), 'dd.out');
  const pipeline = run(
    'sh',
    [
      '-c',
      `${PYTHON} ${join(READERS, 'paced-writer.py')} | dd of=${file} bs=64K iflag=fullblock status=none`,
    ],
    true,
  );
  const server = run(PYTHON, ['-u', join(READERS, 'http-server.py')]);
  const port = Number(await firstLine(server));
  const family = run(PYTHON, [join(READERS, 'mp-roles.py'), 'spawn'], true);
  await firstLine(family);
  let dd = 0;
  while (!dd) {
    const found = spawnSync('pgrep', ['-P', String(pipeline.pid), '-x', 'dd'], { encoding: 'utf8' });
    dd = Number(found.stdout.trim().split('\n')[0] || 0);
  }

  await openApp(page, backend);
  await chooseColumns(page, LABELS);
  for (const label of LABELS) await expect(header(page, label)).toBeVisible();
  expect((await backend.call('settings:get', {})).columns).toEqual([...OPTIONAL_COLUMNS]);
  // Kept in Settings: a reload shows the same columns.
  await page.reload();
  for (const label of LABELS) await expect(header(page, label)).toBeVisible();

  // The dd writer's rate, as the backend read it (the core test holds that to 20 % of what dd wrote).
  const filter = page.getByRole('searchbox', { name: 'Filter' });
  await filter.fill(String(dd));
  const ddRow = rowOf(page, dd);
  await expect(ddRow.getByRole('gridcell').nth(10)).toHaveText(/^(1\d|2\d)\.\d MiB\/s$/, { timeout: 15_000 });

  // Who holds the port: `:PORT` in the search lands on the server, and its Ports cell says the port.
  await filter.fill('');
  await page.getByRole('searchbox', { name: 'Search', exact: true }).fill(`:${port}`);
  await expect(rowOf(page, server.pid!)).toHaveAttribute('aria-selected', 'true', { timeout: 15_000 });
  await expect(rowOf(page, server.pid!).getByRole('gridcell').nth(11)).toHaveText(String(port));
  await page.getByRole('searchbox', { name: 'Search', exact: true }).fill('');

  // The family's roles, and the cgroup and nice of the server.
  await filter.fill('multiprocessing');
  await expect(rowOf(page, family.pid!).getByRole('gridcell').nth(15)).toHaveText('main');
  await expect(tree(page).getByRole('gridcell', { name: 'resource tracker' }).first()).toBeVisible();
  await filter.fill('python');
  await expect(rowOf(page, server.pid!).getByRole('gridcell').nth(14)).toHaveText('0');
  // Wide enough for every column at once in the pictures.
  await page.setViewportSize({ width: 2000, height: 860 });
  await expect(rowOf(page, server.pid!).getByRole('gridcell').nth(13)).not.toHaveText('');
  for (const scheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await screenshot(page, `columns-${scheme}`);
  }
  await backend.call('settings:set', { language: 'zh-CN' });
  await page.reload();
  await page.getByRole('searchbox').nth(1).fill('python');
  // The tree has its Chinese name now.
  await expect(page.getByRole('treegrid').getByRole('button', { name: /磁盘写入速率/ })).toBeVisible();
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'columns-dark-zh-CN');
});

test('views: kernel threads hidden by default and shown with K, only my processes, kept across a reload', async ({
  page,
  backend,
}) => {
  await backend.call('settings:set', { hideKernelThreads: true, onlyMine: false, userFilter: '' });
  await openApp(page, backend);
  // kthreadd sits at the bottom of the tree: the filter brings it on screen (and it never matches hidden rows).
  await page.getByRole('searchbox', { name: 'Filter' }).fill('kthreadd');
  const kthreadd = rowOf(page, 2);
  await expect(tree(page).getByText('No process to show.')).toBeVisible();
  await tree(page).focus();
  await page.keyboard.press('K');
  await expect(kthreadd).toBeVisible();
  await expect.poll(async () => (await backend.call('settings:get', {})).hideKernelThreads).toBe(false);
  await page.reload();
  await page.getByRole('searchbox', { name: 'Filter' }).fill('kthreadd');
  await expect(rowOf(page, 2)).toBeVisible();
  await tree(page).focus();
  await page.keyboard.press('K');
  await expect(rowOf(page, 2)).toHaveCount(0);
  await page.getByRole('searchbox', { name: 'Filter' }).fill('');

  // Only mine: a process of another user (nobody's sleep) goes, the backend's own stays.
  const other = run('runuser', ['-u', 'nobody', '--', 'sleep', '60']);
  let otherPid = 0;
  await expect
    .poll(async () => {
      const rows = (await backend.call('processes:snapshot', {})).rows;
      otherPid =
        rows.find((r) => r.user === 'nobody' && r.name === 'sleep' && r.ppid === other.pid)?.pid ?? 0;
      return otherPid;
    })
    .toBeGreaterThan(0);
  // Each row is brought on screen by the filter: nobody's sleep by its command, the backend by its pid.
  const { pid: backendPid } = await backend.call('app:info', {});
  const filter = page.getByRole('searchbox', { name: 'Filter' });
  const shows = async (pid: number, query: string, count: number) => {
    await filter.fill(query);
    await expect(rowOf(page, pid)).toHaveCount(count);
  };
  await shows(otherPid, 'sleep 60', 1);
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('checkbox', { name: 'Only my processes' }).check();
  await shows(otherPid, 'sleep 60', 0);
  await shows(backendPid, String(backendPid), 1);
  await screenshot(page, 'views-only-mine');
  await page.getByRole('checkbox', { name: 'Only my processes' }).uncheck();
  // One user's processes: nobody's.
  await page.getByRole('combobox', { name: 'Only the processes of user' }).selectOption('nobody');
  await shows(backendPid, String(backendPid), 0);
  await shows(otherPid, 'sleep 60', 1);
  await page.reload();
  await shows(otherPid, 'sleep 60', 1);
  await shows(backendPid, String(backendPid), 0);
  await filter.fill('');
  await backend.call('settings:set', { userFilter: '', onlyMine: false, hideKernelThreads: true });
});

test("renice from the row's menu; a user who may not gets EPERM in words", async ({ page, backend }) => {
  await backend.call('settings:set', { columns: ['nice'] });
  const sleeper = run('sleep', ['60']);
  await openApp(page, backend);
  await page.getByRole('searchbox', { name: 'Filter' }).fill(String(sleeper.pid));
  const row = rowOf(page, sleeper.pid!);
  await row.click({ button: 'right' });
  const menu = page.getByRole('dialog', { name: `Actions for process ${sleeper.pid}` });
  await menu.getByRole('spinbutton', { name: 'Nice value' }).fill('7');
  await menu.getByRole('button', { name: 'Renice' }).click();
  await expect(page.getByText(`Process ${sleeper.pid} now runs at nice 7.`)).toBeVisible();
  await expect(row.getByRole('gridcell').nth(9)).toHaveText('7');
  await expect(row.getByRole('gridcell').nth(9)).toHaveAttribute('title', 'Nice 7, kernel priority 27');

  // The same window on a backend run as nobody: lowering its own sleeper's nice needs root.
  const home = mkdtempSync(join(tmpdir(), 'proctor-e2e-nobody-'));
  chmodSync(home, 0o777);
  const nobody: Backend = await startBackend({
    uid: 65534,
    gid: 65534,
    settingsFile: join(home, 'settings.json'),
    env: { HOME: home, XDG_STATE_HOME: home, XDG_CONFIG_HOME: home },
  });
  try {
    const { id } = await nobody.call('children:start', { command: 'sleep', args: ['60'], name: 'own' });
    let own = { id, pid: null as number | null };
    await expect
      .poll(async () => {
        own = (await nobody.call('children:list', {})).find((child) => child.id === id) ?? own;
        return own.pid;
      })
      .not.toBeNull();
    await nobody.call('settings:set', { columns: ['nice'] });
    await nobody.call('processes:renice', { pid: own.pid!, nice: 5 });
    await openApp(page, nobody);
    await page.getByRole('searchbox', { name: 'Filter' }).fill(String(own.pid));
    await rowOf(page, own.pid!).click({ button: 'right' });
    const menu2 = page.getByRole('dialog', { name: `Actions for process ${own.pid}` });
    await menu2.getByRole('spinbutton', { name: 'Nice value' }).fill('0');
    await menu2.getByRole('button', { name: 'Renice' }).click();
    await expect(menu2.getByRole('alert')).toHaveText(
      `Not permitted to change that process's priority (EPERM): not permitted to lower the nice value of process ${own.pid} from 5 to 0: that needs root (CAP_SYS_NICE)`,
    );
    await screenshot(page, 'renice-eperm');
    await nobody.call('children:kill', { id: own.id });
  } finally {
    await stopBackend(nobody);
  }
});
