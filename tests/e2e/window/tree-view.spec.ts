// The tree as a view kept between visits: a click shows details from any panel, sort and filter survive a
// reload, and a fold says how much it hides.
import { test, expect } from '../harness';
import { filterTo, openApp, removeAllChildren, rowOf, screenshot, tree } from './helpers';

test.afterEach(async ({ backend }) => {
  await backend.call('settings:set', { language: 'en' });
  await removeAllChildren(backend);
});

test('a row clicked while Settings or Lessons is open shows its details', async ({ page, backend }) => {
  const child = await backend.call('children:start', { command: 'sleep', args: ['3023'], name: 'clicked' });
  await openApp(page, backend);
  await filterTo(page, 'sleep 3023');
  for (const tab of ['Settings', 'Lessons']) {
    await page.getByRole('tab', { name: tab }).click();
    await rowOf(page, child.pid!).click();
    await expect(page.getByRole('tab', { name: 'Details' })).toHaveAttribute('aria-selected', 'true');
    await expect(
      page.getByRole('tabpanel', { name: 'Details' }).getByRole('heading', { name: 'clicked' }),
    ).toBeVisible();
  }
});

test('sort and filter are kept across a reload', async ({ page, backend }) => {
  const child = await backend.call('children:start', { command: 'sleep', args: ['3024'], name: 'kept' });
  await openApp(page, backend);
  await page.getByRole('button', { name: 'Sort by Memory', exact: true }).click();
  await page.getByRole('searchbox', { name: 'Filter' }).fill('sleep 3024');
  await expect(rowOf(page, child.pid!)).toBeVisible();

  await page.reload();
  await expect(tree(page)).toBeVisible();
  await expect(page.getByRole('searchbox', { name: 'Filter' })).toHaveValue('sleep 3024');
  await expect(page.getByRole('columnheader', { name: 'Sort by Memory', exact: true })).toHaveAttribute(
    'aria-sort',
    'descending',
  );
  await expect(rowOf(page, child.pid!)).toBeVisible();
  await expect(tree(page).getByRole('row', { name: /sleep 3024/ })).toHaveCount(1);
  // Cleared, and the clearing is kept too.
  await page.getByRole('searchbox', { name: 'Filter' }).fill('');
  await page.getByRole('button', { name: 'Sort by PID', exact: true }).click();
  await page.reload();
  await expect(tree(page)).toBeVisible();
  await expect(page.getByRole('searchbox', { name: 'Filter' })).toHaveValue('');
  await expect(page.getByRole('columnheader', { name: 'Sort by PID', exact: true })).toHaveAttribute(
    'aria-sort',
    'ascending',
  );
});

test('a folded node shows ▸ and how many processes it hides', async ({ page, backend }) => {
  // A shell with two sleeps under it: folded, it hides exactly those two.
  const child = await backend.call('children:start', {
    command: 'sh',
    args: ['-c', 'sleep 3025 & sleep 3025 & wait'],
    name: 'folder',
  });
  await expect
    .poll(async () => {
      const rows = (await backend.call('processes:snapshot', {})).rows;
      return rows.filter((row) => row.ppid === child.pid).length;
    })
    .toBe(2);
  await openApp(page, backend);
  // Search brings the shell's row into sight (a filter would hold every match's path open).
  const search = page.getByRole('searchbox', { name: 'Search', exact: true });
  await search.fill('sleep 3025 &');
  // By id, so the same locator holds once the labels are in Chinese.
  const row = page.locator(`[id="proc-row-${child.pid}"]`);
  await expect(row).toHaveAttribute('aria-selected', 'true');
  await search.press('Escape');
  await expect(row).toHaveAttribute('aria-expanded', 'true');
  await expect(row.locator('.folded')).toHaveCount(0);
  await row.locator('.twisty').click();
  await expect(row).toHaveAttribute('aria-expanded', 'false');
  await expect(row.locator('.twisty')).toHaveText('▸');
  await expect(row.locator('.folded')).toHaveText('+2');
  await expect(row.locator('.folded')).toHaveAttribute('title', /2 processes folded away here/);
  // Searched again, so the screenshots show the row whatever the machine started meanwhile; the search
  // opens the folds above a hit, not the hit's own.
  await search.fill('sleep 3025 &');
  await expect(row).toHaveAttribute('aria-expanded', 'false');
  await screenshot(page, 'tree-folded-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'tree-folded-dark');
  await backend.call('settings:set', { language: 'zh-CN' });
  await expect(row.locator('.folded')).toHaveAttribute('title', /此处折叠了 2 个进程/);
  await screenshot(page, 'tree-folded-zh-CN');
});
