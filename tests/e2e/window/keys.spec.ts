// htop's keys on the treegrid: moving, folding, tree toggle, search/filter focus, signal, terminate, help.
import { test, expect } from '../harness';
import { openApp, removeAllChildren, rowOf, tree } from './helpers';

test.afterEach(async ({ backend }) => removeAllChildren(backend));

test('keys move, fold, toggle the tree and open the dialogs', async ({ page, backend }) => {
  const child = await backend.call('children:start', { command: 'sleep', args: ['3018'], name: 'keyed' });
  await openApp(page, backend);
  const grid = tree(page);
  await grid.focus();

  await page.keyboard.press('Home');
  const selected = grid.getByRole('row', { selected: true });
  await expect(selected).toHaveAttribute('aria-rowindex', '2');
  await page.keyboard.press('ArrowDown');
  await expect(selected).toHaveAttribute('aria-rowindex', '3');
  await page.keyboard.press('ArrowUp');
  await expect(selected).toHaveAttribute('aria-rowindex', '2');
  await page.keyboard.press('PageDown');
  expect(Number(await selected.getAttribute('aria-rowindex'))).toBeGreaterThan(10);
  await page.keyboard.press('Home');

  // Left folds the first root, Right opens it again.
  await expect(selected).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(selected).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('ArrowRight');
  await expect(selected).toHaveAttribute('aria-expanded', 'true');

  // t (and F5) flatten the tree: every row at level 1.
  await page.keyboard.press('t');
  await expect(grid.getByRole('row', { level: 2 })).toHaveCount(0);
  await page.keyboard.press('F5');
  await expect(grid.getByRole('row', { level: 2 }).first()).toBeVisible();

  await page.keyboard.press('/');
  await expect(page.getByRole('searchbox', { name: 'Search', exact: true })).toBeFocused();
  await page.keyboard.type('sleep 3018');
  await page.keyboard.press('Escape');
  await expect(rowOf(page, child.pid!)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('\\');
  await expect(page.getByRole('searchbox', { name: 'Filter' })).toBeFocused();
  await page.keyboard.press('Escape');

  await page.keyboard.press('Enter');
  await expect(page.getByRole('tab', { name: 'Details' })).toHaveAttribute('aria-selected', 'true');
  await expect(
    page.getByRole('tabpanel', { name: 'Details' }).getByRole('heading', { name: 'keyed' }),
  ).toBeVisible();

  await page.keyboard.press('F9');
  const signal = page.getByRole('dialog', { name: 'Send a signal' });
  await expect(signal.getByRole('spinbutton', { name: 'PID' })).toHaveValue(String(child.pid));
  await page.keyboard.press('Escape');
  await expect(signal).toBeHidden();
  await page.keyboard.press('k');
  await expect(signal).toBeVisible();
  await signal.getByRole('combobox', { name: 'Signal' }).selectOption('SIGSTOP');
  await signal.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Sent SIGSTOP to ${child.pid}` })).toBeVisible();
  await expect(rowOf(page, child.pid!).getByRole('gridcell').nth(3)).toHaveText('T stopped');

  await page.keyboard.press('Delete');
  const stop = page.getByRole('dialog', { name: `Terminate keyed (${child.pid})?` });
  await expect(stop).toBeVisible();
  await stop.getByRole('button', { name: 'Cancel' }).click();
  await expect(stop).toBeHidden();

  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keys' });
  await expect(help.getByText('Next search match')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
});

test('a signal to a pid that does not exist comes back as ESRCH in words, and the dialog stays open', async ({
  page,
  backend,
}) => {
  await openApp(page, backend);
  await page.getByRole('button', { name: 'Send signal…' }).click();
  const signal = page.getByRole('dialog', { name: 'Send a signal' });
  await signal.getByRole('spinbutton', { name: 'PID' }).fill('4194000');
  await signal.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'There is no such process (ESRCH)' })).toBeVisible();
  await expect(signal).toBeVisible();
});
