// Focus and the treegrid's active row, as a keyboard or screen-reader user meets them.
import { test, expect, startBackend, stopBackend } from '../harness';
import { filterTo, openApp, removeAllChildren, rowOf, tree } from './helpers';

test.afterEach(async ({ backend }) => removeAllChildren(backend));

test('closing a dialog with Esc gives focus back to what opened it', async ({ page, backend }) => {
  const child = await backend.call('children:start', { command: 'sleep', args: ['3026'], name: 'focused' });
  await openApp(page, backend);

  // Opened from a toolbar button: focus goes back to that button.
  const start = page.getByRole('button', { name: 'Start…' });
  await start.focus();
  await page.keyboard.press('Enter');
  const startDialog = page.getByRole('dialog', { name: /Start/ });
  await expect(startDialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(startDialog).toBeHidden();
  await expect(start).toBeFocused();

  const help = page.getByRole('button', { name: 'Keys' });
  await help.click();
  await expect(page.getByRole('dialog', { name: 'Keys' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(help).toBeFocused();

  // Opened by a key on the tree: focus goes back to the tree, and the keys go on working there.
  await filterTo(page, 'sleep 3026');
  await rowOf(page, child.pid!).click();
  await tree(page).focus();
  await page.keyboard.press('Delete');
  const stop = page.getByRole('dialog', { name: /Terminate/ });
  await expect(stop).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(stop).toBeHidden();
  await expect(tree(page)).toBeFocused();
  await page.keyboard.press('k');
  await expect(page.getByRole('dialog', { name: 'Send a signal' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(tree(page)).toBeFocused();
});

/** The treegrid's aria-activedescendant, and whether the element it names is in the page. */
function activeDescendant(page: import('@playwright/test').Page) {
  return tree(page).evaluate((grid) => {
    const id = grid.getAttribute('aria-activedescendant');
    return { id, exists: id === null || document.getElementById(id) !== null };
  });
}

test('aria-activedescendant names only a row that is in the page', async ({ browser }) => {
  // Its own backend, stopped and started again on the same port: the reconnect the test is about.
  const first = await startBackend({ args: ['--token', 'descendant-token-0123456789'] });
  const port = new URL(first.url).port;
  const page = await browser.newPage();
  let second: Awaited<ReturnType<typeof startBackend>> | null = null;
  try {
    const child = await first.call('children:start', { command: 'sleep', args: ['3027'], name: 'gone' });
    await openApp(page, first);
    const body = page.locator('.tree .body');

    // Scrolled away, the selected row leaves the page (the tree draws only what is on screen).
    await tree(page).getByRole('row').first().click();
    await body.evaluate((element) => element.scrollTo(0, element.scrollHeight));
    await expect.poll(async () => (await activeDescendant(page)).exists).toBe(true);
    await body.evaluate((element) => element.scrollTo(0, 0));

    // The filter keeps the child's row in sight, whatever else the machine runs.
    await filterTo(page, 'sleep 3027');
    await rowOf(page, child.pid!).click();
    await expect.poll(() => activeDescendant(page)).toEqual({ id: `proc-row-${child.pid}`, exists: true });

    // The backend goes, and its child with it; the page reconnects to a table without that row.
    await stopBackend(first);
    await expect(page.getByText('Connection lost, reconnecting…')).toBeVisible();
    second = await startBackend({ args: ['--token', 'descendant-token-0123456789', '--port', port] });
    await expect(page.getByText('Connection lost, reconnecting…')).toBeHidden({ timeout: 20_000 });
    await expect(rowOf(page, child.pid!)).toHaveCount(0);
    await page.waitForTimeout(1500);
    expect(await activeDescendant(page)).toEqual({ id: null, exists: true });
  } finally {
    if (second) await stopBackend(second);
    else await stopBackend(first);
    await page.close();
  }
});
