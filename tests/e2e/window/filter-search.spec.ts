// Filter keeps the matches and the path down to them; search highlights, jumps, and F3 steps on.
import { test, expect } from '../harness';
import { filterTo, openApp, removeAllChildren, rowOf, screenshot, tree } from './helpers';

test.afterEach(async ({ backend }) => {
  await backend.call('settings:set', { language: 'en' });
  await removeAllChildren(backend);
});

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
  await search.press('F3');
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

test('Esc empties the search and the filter for good', async ({ page, backend }) => {
  const child = await backend.call('children:start', { command: 'sleep', args: ['3021'], name: 'escaped' });
  await openApp(page, backend);
  const rows = tree(page).getByRole('row');
  const all = await rows.count();

  const search = page.getByRole('searchbox', { name: 'Search', exact: true });
  await search.fill('sleep 3021');
  await expect(page.getByText(/1 of 1/)).toBeVisible();
  await search.press('Escape');
  await expect(tree(page)).toBeFocused();
  // Long enough for two samples to repaint the toolbar: the old text came back with the next one.
  await page.waitForTimeout(2500);
  await expect(search).toHaveValue('');
  await expect(page.getByText(/1 of 1/)).toBeHidden();
  await expect(tree(page).locator('.row.hit')).toHaveCount(0);

  const filter = page.getByRole('searchbox', { name: 'Filter' });
  await filter.fill('sleep 3021');
  await expect(rowOf(page, child.pid!)).toBeVisible();
  await expect.poll(() => rows.count()).toBeLessThan(all);
  await filter.press('Escape');
  await page.waitForTimeout(2500);
  await expect(filter).toHaveValue('');
  await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(Math.min(all, 20));
});

test('a hit marks the matched text in its row and says which field matched', async ({ page, backend }) => {
  // The marker sits far along a long command line, past what the column shows of it.
  const padding = 'x'.repeat(160);
  const child = await backend.call('children:start', {
    command: 'sh',
    args: ['-c', `sleep 3022; : ${padding} marker_q9`],
    name: 'long-line',
  });
  await openApp(page, backend);
  // The filter keeps the row in sight however many processes the machine starts meanwhile.
  await filterTo(page, 'marker_q9');
  const search = page.getByRole('searchbox', { name: 'Search', exact: true });

  await search.fill('marker_q9');
  await expect(page.getByText('1 of 1 in command')).toBeVisible();
  const row = rowOf(page, child.pid!);
  const mark = row.locator('mark');
  await expect(mark).toHaveText('marker_q9');
  // The match shows inside the command's cell, not cut off by its ellipsis.
  const cell = await row.getByRole('gridcell').nth(2).boundingBox();
  const marked = await mark.boundingBox();
  expect(marked!.x).toBeGreaterThanOrEqual(cell!.x);
  expect(marked!.x + marked!.width).toBeLessThanOrEqual(cell!.x + cell!.width);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await screenshot(page, `search-hit-${scheme}`);
  }

  await search.fill(String(child.pid));
  await expect(page.getByText('1 of 1 in pid')).toBeVisible();
  await expect(row.locator('mark')).toHaveText(String(child.pid));

  // Other languages name the field too.
  await backend.call('settings:set', { language: 'zh-CN' });
  await expect(page.getByText('第 1/1 个，匹配PID')).toBeVisible();
  await screenshot(page, 'search-hit-zh-CN');
});
