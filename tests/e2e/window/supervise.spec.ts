// A child's whole life through the window: Start… dialog, its row under Proctor with the supervised
// mark, its output streaming into the details panel, and Terminate with the stop preview and timeline.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '../harness';
import {
  childRowsOf,
  filterTo,
  openApp,
  removeAllChildren,
  reveal,
  rowOf,
  screenshot,
  tree,
} from './helpers';

test.afterEach(async ({ backend }) => removeAllChildren(backend));

test('start from the dialog, watch it stream, terminate it to exitcode −15', async ({ page, backend }) => {
  await openApp(page, backend);

  await page.getByRole('button', { name: 'Start…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Start a process' });
  await expect(dialog).toBeVisible();

  // The contract's own schema speaks first: an empty command is refused before anything is sent.
  await dialog.getByRole('button', { name: 'Start' }).click();
  await expect(dialog.getByText('Command is required: type the program to run')).toBeVisible();

  await dialog.getByRole('textbox', { name: 'Command' }).fill('sh');
  await dialog
    .getByRole('textbox', { name: 'Arguments' })
    .fill(`-c 'i=0; while true; do i=$((i+1)); echo tick $i; echo warn $i >&2; sleep 0.2; done'`);
  await dialog.getByRole('textbox', { name: 'Name' }).fill('ticker');
  await dialog.getByRole('textbox', { name: 'Environment' }).fill('TICK_COLOUR=green');
  await expect(dialog.getByText('Command is required: type the program to run')).toBeHidden();
  await screenshot(page, 'start-dialog');
  await dialog.getByRole('button', { name: 'Start' }).click();
  await expect(dialog).toBeHidden();

  const [child] = await backend.call('children:list', {});
  expect(child?.name).toBe('ticker');
  const pid = child!.pid!;

  // Under the headless server itself: the guard shim between them is folded away.
  await filterTo(page, 'tick');
  const row = rowOf(page, pid);
  await expect(row).toBeVisible();
  await expect(row.getByText('supervised')).toBeVisible();
  const server = rowOf(page, backend.process.pid!);
  const under = await childRowsOf(page, server);
  expect(await Promise.all(under.map((r) => r.getAttribute('id')))).toContain(`proc-row-${pid}`);

  // Selected on start: the details panel shows its live output, stdout and stderr.
  const details = page.getByRole('tabpanel', { name: 'Details' });
  const output = details.getByRole('log', { name: 'Output' });
  await expect(output).toContainText('tick 3');
  await expect(output).toContainText('warn 3');
  await expect(details.getByText('TICK_COLOUR')).toBeVisible();
  // Its parent, as the tree shows it: Proctor, past the folded guard.
  await expect(details.getByText(`${backend.process.pid} (through guard ${child!.guardPid})`)).toBeVisible();
  // A few samples in the history chart make the screenshot say something.
  await page.waitForTimeout(2500);
  await screenshot(page, 'details-panel');
  // Further down the panel: the CPU and memory history drawn from those samples, then the command.
  const chart = details.getByRole('figure', { name: 'CPU and memory' });
  await chart.scrollIntoViewIfNeeded();
  await expect(chart.locator('canvas')).toBeVisible();
  await screenshot(page, 'details-history');
  await details.getByRole('heading', { name: 'Output' }).scrollIntoViewIfNeeded();

  await details.getByRole('button', { name: 'Terminate' }).click();
  const preview = page.getByRole('dialog', { name: `Terminate ticker (${pid})?` });
  await expect(preview).toBeVisible();
  await expect(preview.getByText('The signal goes to the whole process group')).toBeVisible();
  await expect(
    preview
      .getByRole('list', { name: /^The signal reaches / })
      .getByRole('listitem')
      .first(),
  ).toContainText(String(pid));
  await screenshot(page, 'stop-preview');
  await preview.getByRole('button', { name: 'Terminate' }).click();

  const timeline = details.getByRole('list', { name: 'Stop timeline' });
  await expect(timeline.getByText('SIGTERM sent')).toBeVisible();
  await expect(timeline.getByText(/^Exited after \d+ ms: −15: terminated by SIGTERM$/)).toBeVisible();
  await expect(details.getByTestId('exitcode')).toHaveText('−15: terminated by SIGTERM');

  // Its process is gone, but it stays in the tree where it ran, still selected, with its exitcode.
  await expect(row).toContainText('exited −15');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('aria-selected', 'true');
  await expect(row.getByText('supervised')).toBeVisible();
  await expect(row.getByRole('gridcell').nth(3)).toHaveAttribute('title', '−15: terminated by SIGTERM');
  const afterExit = await childRowsOf(page, server);
  expect(await Promise.all(afterExit.map((r) => r.getAttribute('id')))).toContain(
    await row.getAttribute('id'),
  );
  await screenshot(page, 'exited-row');
  await page.getByRole('tab', { name: 'Supervised' }).click();
  const listed = page.getByRole('tabpanel', { name: 'Supervised' }).getByRole('row', { name: /ticker/ });
  await expect(listed).toContainText('−15: terminated by SIGTERM');

  // Until it is removed.
  await page.getByRole('tab', { name: 'Details' }).click();
  await details.getByRole('button', { name: 'Remove' }).click();
  await expect(row).toHaveCount(0);
  await expect(listed).toHaveCount(0);
  await expect(tree(page)).toBeVisible();
});

test('a spawn error comes back in words and keeps the dialog open', async ({ page, backend }) => {
  await openApp(page, backend);
  await page.getByRole('button', { name: 'Start…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Start a process' });
  await dialog.getByRole('textbox', { name: 'Command' }).fill('/no/such/program');
  await dialog.getByRole('button', { name: 'Start' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Could not start: Command not found.');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
});

test('children that exited on their own stay in the tree under Proctor until removed together', async ({
  page,
  backend,
}) => {
  const quick = [];
  for (const code of [0, 3]) {
    quick.push(
      await backend.call('children:start', {
        command: 'sh',
        args: ['-c', `exit ${code}`],
        name: `quick-${code}`,
      }),
    );
  }
  await openApp(page, backend);
  const server = rowOf(page, backend.process.pid!);
  for (const [i, child] of quick.entries()) {
    const row = await reveal(page, rowOf(page, child.pid!), String(child.pid));
    await expect(row).toContainText(`quick-${i * 3}`);
    await expect(row).toContainText(`exited ${i * 3}`);
    const under = await childRowsOf(page, server);
    expect(await Promise.all(under.map((r) => r.getAttribute('id')))).toContain(await row.getAttribute('id'));
  }

  await page.getByRole('tab', { name: 'Supervised' }).click();
  await page.getByRole('button', { name: 'Remove 2 exited' }).click();
  for (const child of quick) await expect(rowOf(page, child.pid!)).toHaveCount(0);
  await expect(page.getByText('No supervised children yet')).toBeVisible();
});

test('a crash-looping child backs off between restarts, then stays in the tree as fatal', async ({
  page,
  backend,
}) => {
  await openApp(page, backend);
  const child = await backend.call('children:start', {
    command: 'sh',
    args: ['-c', 'echo starting; sleep 0.3; echo boom >&2; exit 2'],
    name: 'crasher',
    restart: { policy: 'on-failure', maxRetries: 2, backoffMs: 400, maxBackoffMs: 1000 },
  });
  await expect(page.getByText('supervised: 0 running, 1 backing off, 0 exited')).toBeVisible();
  // The child's exited row starts with its name; while a run's process shows, its row starts with the
  // program's, sh (and names the child only in its supervised mark).
  const row = await reveal(page, tree(page).getByRole('row', { name: /^\S+ crasher/ }), 'crasher');
  await expect(row).toContainText('fatal 2', { timeout: 10_000 });
  await expect(page.getByText('supervised: 0 running, 1 exited')).toBeVisible();
  await row.click();
  const details = page.getByRole('tabpanel', { name: 'Details' });
  await expect(details.getByTestId('exitcode')).toHaveText('2: exited with code 2');
  const restarts = (await backend.call('children:list', {})).find((c) => c.id === child.id)!.restarts;
  expect(restarts).toBe(2);
});

test('one row per child: a restarted child that has exited shows no second row while its last run is still listed', async ({
  page,
  backend,
}) => {
  await openApp(page, backend);
  // The first run lives long enough to be sampled; the restart finds the mark and fails at once.
  const mark = join(tmpdir(), `proctor-twice-${process.pid}-${Date.now()}`);
  const child = await backend.call('children:start', {
    command: 'sh',
    args: ['-c', `[ -e ${mark} ] && exit 2; touch ${mark}; sleep 2; exit 2`],
    name: 'twice',
    restart: { policy: 'on-failure', maxRetries: 1, backoffMs: 100, maxBackoffMs: 100 },
  });
  await expect(await reveal(page, rowOf(page, child.pid!), String(child.pid))).toBeVisible();
  // With the monitor paused, the tree keeps listing the first run's process after it exits; the child
  // restarts under a new pid and ends fatal meanwhile.
  await backend.call('monitor:setPaused', { paused: true });
  try {
    await expect
      .poll(async () => (await backend.call('children:list', {})).find((c) => c.id === child.id)?.state)
      .toBe('fatal');
    const namingIt = tree(page).getByRole('row', { name: /twice/ });
    await expect(rowOf(page, child.pid!)).toBeVisible();
    await page.waitForTimeout(300);
    expect(await namingIt.count()).toBe(1);
  } finally {
    await backend.call('monitor:setPaused', { paused: false });
    rmSync(mark, { force: true });
  }
  // The next sample drops the first run's process; the child's own row takes its place.
  await expect(tree(page).getByRole('row', { name: /^\S+ twice/ })).toContainText('fatal 2');
  await expect(tree(page).getByRole('row', { name: /twice/ })).toHaveCount(1);
});
