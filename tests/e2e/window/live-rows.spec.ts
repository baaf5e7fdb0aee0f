// Rows update in place from each sample: a changed row repaints (a row repaints only when its own
// sample changed), and the scroll position, the selection and the folds stay where the user left them
// (the machine's own processes come and go meanwhile, so the row count may not).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from '../harness';
import { openApp, removeAllChildren, rowOf, tree, PYTHON } from './helpers';

test.afterEach(async ({ backend }) => removeAllChildren(backend));

/**
 * Starts a child of its own (so its row has a fold), spins until told to stop (a file appears), then
 * sleeps: its CPU cell must rise to a core and fall back.
 */
const SPIN_THEN_SLEEP = [
  'import os, subprocess, sys, time',
  "subprocess.Popen(['sleep', '60'])",
  'while not os.path.exists(sys.argv[1]): pass',
  'time.sleep(60)',
].join('\n');
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
  const childrenOf = async (pid: number | null) =>
    (await backend.call('processes:snapshot', {})).rows.filter((r) => r.ppid === pid).length;
  await expect.poll(() => childrenOf(crowd.pid)).toBe(CROWD);
  const stopDir = mkdtempSync(join(tmpdir(), 'proctor-spin-'));
  const stop = join(stopDir, 'stop');
  const spinner = await backend.call('children:start', {
    command: PYTHON,
    args: ['-c', SPIN_THEN_SLEEP, stop],
    name: 'spin-then-sleep',
  });
  await expect.poll(() => childrenOf(spinner.pid)).toBe(1);
  await openApp(page, backend);

  await tree(page).focus();
  await page.keyboard.press('/');
  const search = page.getByRole('searchbox', { name: 'Search', exact: true });
  await expect(search).toBeFocused();
  // Search sees names, commands, pids and users: the stop file's fresh directory is in the spinner's
  // command and in no other process's.
  await page.keyboard.type(basename(stopDir));
  await expect(page.getByText('1 of 1')).toBeVisible();
  const row = rowOf(page, spinner.pid!);
  await expect(row).toHaveAttribute('aria-selected', 'true');
  const body = tree(page).getByRole('rowgroup').nth(1);
  const scrollTop = await body.evaluate((el) => el.scrollTop);
  expect(scrollTop).toBeGreaterThan(0);
  // Back in the tree, fold the spinner away from its child.
  await search.press('Escape');
  await page.keyboard.press('ArrowLeft');
  await expect(row).toHaveAttribute('aria-expanded', 'false');
  const folds = await foldsOnScreen(page);

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
  await expect(row).toHaveAttribute('aria-expanded', 'false');
  const foldsNow = await foldsOnScreen(page);
  const stillShown = [...folds.keys()].filter((id) => foldsNow.has(id));
  expect(stillShown.length).toBeGreaterThan(0);
  for (const id of stillShown) expect(foldsNow.get(id), id).toBe(folds.get(id));
  rmSync(stopDir, { recursive: true });
});

/** Whether each row on screen that has children is open, by row id. */
async function foldsOnScreen(page: Page): Promise<Map<string, string>> {
  const pairs = await tree(page)
    .locator('[role="row"][aria-expanded]')
    .evaluateAll((rows) => rows.map((r) => [r.id, r.getAttribute('aria-expanded') ?? ''] as const));
  return new Map(pairs);
}
