// Filter keeps the matches and the path down to them; search highlights, jumps, and F3 steps on.
import { test, expect } from '../harness';
import { filterTo, openApp, removeAllChildren, rowOf, tree } from './helpers';

test.afterEach(async ({ backend }) => removeAllChildren(backend));

test('filter keeps matches and their ancestors; search jumps and F3 moves on', async ({ page, backend }) => {
  const started = [];
  for (const name of ['needle-a', 'needle-b']) {
    started.push(await backend.call('children:start', { command: 'sleep', args: ['3017'], name }));
  }
  await openApp(page, backend);

  await filterTo(page, '3017');
  const rows = tree(page).getByRole('row');
  for (const child of started) await expect(rowOf(page, child.pid!)).toBeVisible();
  // Every row left is a match or an ancestor of one: the server's row is there, unrelated leaves are not.
  await expect(rowOf(page, backend.process.pid!)).toBeVisible();
  const count = await rows.count();
  expect(count).toBeLessThan(40);
  const matches = tree(page).getByRole('row', { name: /sleep 3017/ });
  await expect(matches).toHaveCount(2);
  await page.getByRole('searchbox', { name: 'Filter' }).fill('');
  await expect.poll(() => rows.count()).toBeGreaterThan(count);

  // Search: the first hit after the selection is selected and scrolled to, hits are highlighted.
  const search = page.getByRole('searchbox', { name: 'Search', exact: true });
  await search.fill('sleep 3017');
  await expect(page.getByText(/1 of 2/)).toBeVisible();
  const first = tree(page).getByRole('row', { selected: true });
  await expect(first).toContainText('sleep 3017');
  const firstId = await first.getAttribute('id');
  await search.press('F3');
  await expect(page.getByText(/2 of 2/)).toBeVisible();
  const second = tree(page).getByRole('row', { selected: true });
  await expect(second).toContainText('sleep 3017');
  expect(await second.getAttribute('id')).not.toBe(firstId);
  await search.press('Escape');
  await page.keyboard.press('F3');
  await expect(page.getByText(/1 of 2/)).toBeVisible();

  // A fold does not hide a hit: the search opens the way down to it, and only that way.
  await search.fill('');
  const unfolded = await rows.count();
  await page.getByRole('button', { name: 'Collapse all' }).click();
  await expect(rowOf(page, started[0]!.pid!)).toBeHidden();
  await search.fill('sleep 3017');
  await expect(page.getByText(/1 of 2/)).toBeVisible();
  await expect(tree(page).getByRole('row', { selected: true })).toContainText('sleep 3017');
  await expect(rowOf(page, backend.process.pid!)).toHaveAttribute('aria-expanded', 'true');
  expect(await rows.count()).toBeLessThan(unfolded);
});
