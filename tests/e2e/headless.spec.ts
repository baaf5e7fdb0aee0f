// Headless mode end to end: the printed URL opens the real renderer in Chromium, which drives the real
// backend over the token-guarded WebSocket.
import type { ChildInfo } from '../../shared/model';
import { expect, startBackend, stopBackend, test } from './harness';
import { screenshotPath } from './screenshots';
import { reveal } from './window/helpers';

test('the printed URL opens the app; the token moves from the address bar to sessionStorage', async ({
  page,
  backend,
}) => {
  await page.goto(backend.url);
  await expect(page.getByRole('treegrid')).toBeVisible();
  await expect(page).not.toHaveURL(/token=/);
  expect(await page.evaluate<string[]>('Object.values(sessionStorage)')).toContain(backend.token);
  await expect(page.getByText('via websocket')).toBeVisible();
  // The built server finds the compiled guard by itself: no child runs without it.
  await expect(page.getByText('Guard: on')).toBeVisible();
  await page.screenshot({ path: screenshotPath('headless-first-load') });
});

test('start sleep 30 through the UI, see it listed, terminate it, join gives -15', async ({
  page,
  backend,
}) => {
  await page.goto(backend.url);
  await page.getByRole('button', { name: 'Start…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Command').fill('sleep');
  await dialog.getByLabel('Arguments').fill('30');
  await dialog.getByLabel('Name').fill('headless-nap');
  await dialog.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(dialog).toBeHidden();

  let child: ChildInfo | undefined;
  await expect
    .poll(
      async () =>
        (child = (await backend.call('children:list', {})).find((info) => info.name === 'headless-nap')),
    )
    .toMatchObject({ state: 'running', spec: { command: 'sleep', args: ['30'] } });

  // By its name only: another test's `sleep 30` may still be listed, and gone by the time it is clicked.
  await (await reveal(page, page.getByRole('row', { name: /headless-nap/ }), 'headless-nap')).click();
  await page.getByRole('button', { name: 'Terminate', exact: true }).first().click();
  const confirm = page.getByRole('dialog');
  if (await confirm.isVisible())
    await confirm.getByRole('button', { name: 'Terminate', exact: true }).click();
  expect(await backend.call('children:join', { id: child!.id, timeoutMs: 10_000 })).toEqual({
    exitcode: -15,
  });
});

test('after the backend restarts, the page reconnects and fetches a fresh snapshot', async ({ browser }) => {
  // This test stops its own backend on purpose: the browser logs the refused reconnects as console
  // errors, so it keeps its own page and allows exactly those.
  const first = await startBackend({ args: ['--token', 'reconnect-token-0123456789'] });
  const port = new URL(first.url).port;
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(first.url);
  await expect(page.getByRole('treegrid')).toBeVisible();
  await stopBackend(first);
  await expect(page.getByText('Connection lost, reconnecting…')).toBeVisible();

  const second = await startBackend({ args: ['--token', 'reconnect-token-0123456789', '--port', port] });
  try {
    const started = await second.call('children:start', {
      command: 'sleep',
      args: ['30'],
      name: 'after-reconnect',
    });
    await expect(page.getByText('Connection lost, reconnecting…')).toBeHidden({ timeout: 20_000 });
    const row = page.getByRole('row', { name: /after-reconnect|sleep 30/ });
    await expect((await reveal(page, row, 'after-reconnect')).first()).toBeVisible();
    await second.call('children:kill', { id: started.id });
  } finally {
    await stopBackend(second);
    await page.close();
  }
  expect(
    errors.filter((text) => !/WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(text)),
  ).toEqual([]);
});
