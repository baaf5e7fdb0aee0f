// Rows update in place from each sample: a changed row repaints (a row repaints only when its own
// sample changed), and the scroll position, the selection and the folds stay where the user left them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '../harness';
import { openApp, removeAllChildren, rowOf, tree } from './helpers';

test.afterEach(async ({ backend }) => removeAllChildren(backend));

/** Spins until told to stop (a file appears), then sleeps: its CPU cell must rise to a core and fall back. */
const SPIN_THEN_SLEEP = 'import os, sys, time\nwhile not os.path.exists(sys.argv[1]): pass\ntime.sleep(60)';
const CROWD = 60;

test('a row follows its process from sample to sample; scroll, selection and folds stay', async ({
  page,
  backend,
}) => {
  // Enough rows above the spinner that the tree has to scroll to show it.
  const crowd = await backend.call('children:start', {
    command: 'sh',
    args: ['-c', `i=0; while [ $i -lt ${CROWD} ]; do sleep 60 & i=$((i+1)); done; wait`],
    name: 'crowd',
  });
  await expect
    .poll(
      async () =>
        (await backend.call('processes:snapshot', {})).rows.filter((r) => r.ppid === crowd.pid).length,
    )
    .toBe(CROWD);
  const stop = join(mkdtempSync(join(tmpdir(), 'proctor-spin-')), 'stop');
  const spinner = await backend.call('children:start', {
    command: 'python3',
    args: ['-c', SPIN_THEN_SLEEP, stop],
    name: 'spin-then-sleep',
  });
  await openApp(page, backend);

  await tree(page).focus();
  await page.keyboard.press('/');
  // Search sees names, commands, pids and users: the spinner's command is its own.
  await page.keyboard.type('os.path.exists');
  const row = rowOf(page, spinner.pid!);
  await expect(row).toHaveAttribute('aria-selected', 'true');
  const body = tree(page).getByRole('rowgroup').nth(1);
  const scrollTop = await body.evaluate((el) => el.scrollTop);
  expect(scrollTop).toBeGreaterThan(0);
  const rowCount = await tree(page).getAttribute('aria-rowcount');

  const state = row.getByRole('gridcell').nth(3);
  const cpu = row.getByRole('gridcell').nth(4);
  await expect.poll(async () => Number(await cpu.textContent())).toBeGreaterThan(50);
  await expect(state).toHaveText('R running');
  writeFileSync(stop, '');
  await expect.poll(async () => Number(await cpu.textContent())).toBe(0);
  await expect(state).toHaveText('S sleeping');

  // Several samples later: the same row selected, the same scroll, every fold as it was.
  await expect(row).toHaveAttribute('aria-selected', 'true');
  expect(await body.evaluate((el) => el.scrollTop)).toBe(scrollTop);
  await expect(tree(page)).toHaveAttribute('aria-rowcount', rowCount!);
});
