// The Programs view with a real stack: an HTTP server gated on its probe, a migration gated on
// completed_successfully, a failed job that blocks its dependent, replicas with a liveness probe; the
// DAG with the condition on each edge; start / stop / restart of one, some and all; a refused file
// with its problems at their lines; a reload that moves one program alone. Screenshots in both themes
// and in 简体中文.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { ProgramInfo } from '../../../shared/model';
import { test, expect, type Backend } from '../harness';
import { screenshotPath } from '../screenshots';
import { PYTHON, removeAllChildren } from './helpers';

function freePort(): Promise<number> {
  const server = createServer();
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    }),
  );
}

function stackYaml(port: number, webArg: string): string {
  return `# the e2e stack: comments stay where they are
programs:
  db:
    command: [${PYTHON}, -m, http.server, '${port}', --bind, 127.0.0.1]
    readiness_probe: { http_get: { url: 'http://127.0.0.1:${port}/' }, period: 200ms }
  migrate:
    command: "echo migrating; sleep 0.3; echo done"
    depends_on: { db: { condition: healthy } }
  web:
    command: [sleep, '${webArg}']
    depends_on:
      db: { condition: healthy }
      migrate: { condition: completed_successfully }
      worker: { condition: started }
    readiness_probe: { exec: { command: 'true' }, period: 300ms }
  broken:
    command: "exit 3"
  report:
    command: [sleep, '600']
    depends_on: { broken: { condition: completed_successfully } }
  worker:
    command: [sleep, '600']
    replicas: 2
    depends_on: { db: { condition: healthy } }
    liveness_probe: { tcp_socket: { port: ${port} }, period: 300ms }
`;
}

async function units(backend: Backend): Promise<Map<string, ProgramInfo>> {
  return new Map((await backend.call('programs:list', {})).map((unit) => [unit.name, unit]));
}

const rowOf = (page: Page, name: string, table = 'Programs of the stack') =>
  page.getByRole('table', { name: table }).locator(`tr[data-program="${name}"]`);

test.afterEach(async ({ backend }) => {
  await backend.call('settings:set', { language: 'en' });
  await backend.call('programs:stop', {});
  await removeAllChildren(backend);
});

test('a real stack in the Programs view: states with reasons, the DAG, actions, problems at their lines, a reload', async ({
  page,
  backend,
}) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'proctor-e2e-stack-'));
  const file = join(dir, 'proctor.yaml');
  const port = await freePort();
  writeFileSync(file, stackYaml(port, '600'));

  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(backend.url);
  await page.getByRole('button', { name: /^Programs/ }).click();
  const view = page.getByRole('region', { name: 'Programs' });
  await view.getByRole('textbox', { name: 'Stack file' }).fill(file);
  await view.getByRole('button', { name: 'Open', exact: true }).click();

  // Each condition gates, each state is said in words with its reason. A row is waited on by its state,
  // not its text: "waiting for db: healthy" holds the word too.
  await expect(rowOf(page, 'db')).toHaveAttribute('data-state', 'healthy', { timeout: 20_000 });
  await expect(rowOf(page, 'web')).toHaveAttribute('data-state', 'healthy', { timeout: 20_000 });
  await expect(rowOf(page, 'web').getByRole('cell').nth(1)).toHaveText('healthy');
  await expect(rowOf(page, 'migrate')).toHaveAttribute('data-state', 'exited');
  await expect(rowOf(page, 'report')).toHaveAttribute('data-state', 'blocked');
  await expect(rowOf(page, 'report')).toContainText(
    'broken ended (exitcode 3) and can no longer be completed successfully',
  );
  await expect(rowOf(page, 'worker')).toHaveAttribute('data-state', 'running');
  await expect(rowOf(page, 'worker')).toContainText('×2');
  const started = await units(backend);
  expect(started.get('report')!.pid).toBeNull();
  expect(started.get('migrate')!.startedAt!).toBeGreaterThanOrEqual(started.get('db')!.startedAt!);
  expect(started.get('web')!.startedAt!).toBeGreaterThanOrEqual(started.get('migrate')!.exitedAt!);

  // The DAG: one box per program, one arrow per dependency with its condition.
  const graph = view.getByRole('group', { name: 'Dependency graph' });
  await expect(graph.getByRole('button', { name: 'web: healthy' })).toBeVisible();
  await expect(graph.getByRole('button', { name: 'report: blocked' })).toBeVisible();
  await expect(graph.getByRole('img', { name: 'web waits for migrate: completed successfully' })).toHaveCount(
    1,
  );
  await expect(graph.getByRole('img', { name: 'web waits for db: healthy' })).toHaveCount(1);
  await expect(graph.getByRole('img', { name: 'web waits for worker: started' })).toHaveCount(1);
  await expect(graph.getByText('completed successfully')).toHaveCount(2);

  // A box opens the program's details: its probe's history in words.
  await graph.getByRole('button', { name: 'db: healthy' }).click();
  const details = view.getByRole('region', { name: 'Program db' });
  await expect(details.getByRole('list', { name: 'Readiness probe' })).toContainText('passed: HTTP 200');
  await graph.getByRole('button', { name: /^worker: running/ }).click();
  const workers = view.getByRole('region', { name: 'Program worker' });
  await expect(workers.getByRole('heading', { name: /worker-1/ })).toBeVisible();
  await expect(workers.getByRole('list', { name: 'Liveness probe' }).first()).toContainText(
    `passed: connected to 127.0.0.1:${port}`,
  );
  await page.waitForTimeout(800);
  await page.screenshot({ path: screenshotPath('programs-light') });
  await graph.screenshot({ path: screenshotPath('programs-dag-light') });

  // One program: stop, start.
  const webPid = started.get('web')!.pid!;
  await rowOf(page, 'web').getByRole('button', { name: 'Stop web' }).click();
  await expect(rowOf(page, 'web')).toHaveAttribute('data-state', 'exited');
  await rowOf(page, 'web').getByRole('button', { name: 'Start web', exact: true }).click();
  await expect(rowOf(page, 'web')).toHaveAttribute('data-state', 'healthy', { timeout: 20_000 });
  expect((await units(backend)).get('web')!.pid).not.toBe(webPid);

  // A group: the two ticked programs, and only they.
  const dbPid = (await units(backend)).get('db')!.pid;
  await rowOf(page, 'worker').getByRole('checkbox', { name: 'Select worker' }).check();
  await rowOf(page, 'web').getByRole('checkbox', { name: 'Select web' }).check();
  await view.getByRole('button', { name: 'Stop selected' }).click();
  await expect(rowOf(page, 'worker')).toHaveAttribute('data-state', 'exited');
  await expect(rowOf(page, 'web')).toHaveAttribute('data-state', 'exited');
  expect((await units(backend)).get('db')!.pid).toBe(dbPid);
  await view.getByRole('button', { name: 'Clear selection' }).click();

  // The whole stack.
  await view.getByRole('button', { name: 'Restart all' }).click();
  await expect(rowOf(page, 'web')).toHaveAttribute('data-state', 'healthy', { timeout: 20_000 });
  await expect(rowOf(page, 'worker')).toHaveAttribute('data-state', 'running');
  expect((await units(backend)).get('db')!.pid).not.toBe(dbPid);

  // A file with a cycle and an unknown dependency: refused whole, each problem at its line, nothing touched.
  const before = await units(backend);
  const bad = join(dir, 'bad.yaml');
  writeFileSync(
    bad,
    'programs:\n  a:\n    command: "true"\n    depends_on: [b]\n  b:\n    command: "true"\n    depends_on: [a, nowhere]\n',
  );
  const box = view.getByRole('textbox', { name: 'Stack file' });
  await box.fill(bad);
  await view.getByRole('button', { name: 'Validate' }).click();
  const problems = view.getByRole('list', { name: /The file has 2 problem/ });
  await expect(problems).toContainText(`${bad}:7:`);
  await expect(problems).toContainText(`${bad}:4:`);
  await expect(problems).toContainText('b depends on nowhere, which is not a program in this file');
  await expect(problems).toContainText('a dependency cycle: a → b → a');
  const source = view.getByRole('figure', { name: 'The file, with each problem at its line' });
  await expect(source.getByRole('listitem', { name: 'line 7' })).toContainText('depends_on: [a, nowhere]');
  await expect(source.getByRole('listitem', { name: 'line 7' })).toContainText('^ b depends on nowhere');
  await view.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(problems).toBeVisible();
  const after = await units(backend);
  expect([...after.keys()]).toEqual([...before.keys()]);
  for (const [name, unit] of before) expect(after.get(name)!.pid, name).toBe(unit.pid);
  await page.screenshot({ path: screenshotPath('programs-problems-light') });

  // Reload after an edit to one program: only it restarts.
  await box.fill(file);
  writeFileSync(file, stackYaml(port, '601'));
  await view.getByRole('button', { name: 'Reload' }).click();
  await expect(view.getByText('Applied: 0 added, 0 removed, 1 changed')).toBeVisible();
  await expect(rowOf(page, 'web')).toHaveAttribute('data-state', 'healthy', { timeout: 20_000 });
  const reloaded = await units(backend);
  expect(reloaded.get('web')!.pid).not.toBe(after.get('web')!.pid);
  for (const name of ['db', 'worker-0', 'worker-1'])
    expect(reloaded.get(name)!.pid, name).toBe(after.get(name)!.pid);

  // Dark, then 简体中文.
  await page.emulateMedia({ colorScheme: 'dark' });
  await graph.getByRole('button', { name: 'db: healthy' }).click();
  await page.waitForTimeout(500);
  await page.screenshot({ path: screenshotPath('programs-dark') });
  await graph.screenshot({ path: screenshotPath('programs-dag-dark') });
  await backend.call('settings:set', { language: 'zh-CN' });
  const zhView = page.getByRole('region', { name: '程序', exact: true });
  await expect(zhView.getByRole('button', { name: '全部重启' })).toBeVisible();
  await expect(rowOf(page, 'report', '栈中的程序')).toContainText(
    'broken 已结束（退出码 3），再也无法达到 成功完成',
  );
  await expect(
    zhView.getByRole('group', { name: '依赖图' }).getByRole('img', { name: 'web 等待 migrate：成功完成' }),
  ).toHaveCount(1);
  await page.waitForTimeout(500);
  await page.screenshot({ path: screenshotPath('programs-zh-CN') });
  await zhView
    .getByRole('group', { name: '依赖图' })
    .screenshot({ path: screenshotPath('programs-dag-zh-CN') });
});
