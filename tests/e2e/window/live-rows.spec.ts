// Rows update in place from each sample: a changed row repaints (a row repaints only when its own
// sample changed), and the scroll position, the selection and the folds stay where the user left them.
import { test, expect } from '../harness';
import { openApp, removeAllChildren, rowOf, tree } from './helpers';

test.afterEach(async ({ backend }) => removeAllChildren(backend));

/** Spins for 4 s, then sleeps: its CPU cell must rise to a core and fall back to idle. */
const SPIN_THEN_SLEEP = 'import time\nend = time.time() + 4\nwhile time.time() < end: pass\ntime.sleep(60)';
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
  const spinner = await backend.call('children:start', {
    command: 'python3',
    args: ['-c', SPIN_THEN_SLEEP],
    name: 'spin-then-sleep',
  });
  await openApp(page, backend);

  await tree(page).focus();
  await page.keyboard.press('/');
  // Search sees names, commands, pids and users: the spinner's command is its own.
  await page.keyboard.type('time.time() + 4');
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
  await expect.poll(async () => Number(await cpu.textContent()), { timeout: 15_000 }).toBe(0);
  await expect(state).toHaveText('S sleeping');

  // Several samples later: the same row selected, the same scroll, every fold as it was.
  await expect(row).toHaveAttribute('aria-selected', 'true');
  expect(await body.evaluate((el) => el.scrollTop)).toBe(scrollTop);
  await expect(tree(page)).toHaveAttribute('aria-rowcount', rowCount!);
});
