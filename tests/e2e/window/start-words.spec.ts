// Starting, failing and giving up, in words a new user can act on (issue 13, items 10, 11 and 13): the
// reason of a failed start and of a fatal child in the tree, the Supervised tab and the details; failed
// starts counted apart; the Start form's errors naming the field as it is labelled, in either language.
import { test, expect } from '../harness';
import { filterTo, openApp, removeAllChildren, screenshot, tree } from './helpers';
import { screenshotThreeLooks } from './three-looks';

test.afterEach(async ({ backend }) => {
  await backend.call('settings:set', { language: 'en' });
  await removeAllChildren(backend);
});

test('a failed start shows its reason in the tree and the Supervised tab, is counted apart, and Remove clears it', async ({
  page,
  backend,
}) => {
  const failed = await backend.invoke('children:start', {
    command: 'no-such-cmd-13',
    args: [],
    name: 'nocmd',
  });
  expect(failed).toMatchObject({ ok: false, error: { code: 'E_SPAWN_ENOENT' } });
  const done = await backend.call('children:start', { command: 'sh', args: ['-c', 'exit 0'], name: 'done' });
  await backend.call('children:join', { id: done.id, timeoutMs: 5000 });
  await openApp(page, backend);

  // Exited rows sit under the server, far down a long tree: the filter brings them on screen.
  await filterTo(page, 'no-such-cmd');
  const row = tree(page).getByRole('row', { name: /^\S+ nocmd/ });
  await expect(row).toContainText('Command not found. — no-such-cmd-13');
  await expect(row.getByRole('gridcell').nth(3)).toHaveAttribute('title', 'Command not found.');
  await expect(page.getByText('supervised: 0 running, 1 exited, 1 failed to start')).toBeVisible();
  await page.getByRole('tab', { name: 'Supervised' }).click();
  const panel = page.getByRole('tabpanel', { name: 'Supervised' });
  await expect(panel.getByRole('row', { name: /nocmd/ })).toContainText('Command not found.');
  await screenshotThreeLooks(page, backend, 'failed-start');

  await panel.getByRole('button', { name: 'Remove 2 exited' }).click();
  await expect(row).toHaveCount(0);
  await expect(page.getByText('No supervised children yet')).toBeVisible();
  await expect(page.getByText('supervised: 0 running, 0 exited')).toBeVisible();
});

test('fatal says why, with its restart count; retries and backoff are set in the Start dialog', async ({
  page,
  backend,
}) => {
  await openApp(page, backend);
  await page.getByRole('button', { name: 'Start…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Start a process' });
  await dialog.getByRole('textbox', { name: 'Command' }).fill('sh');
  await dialog.getByRole('textbox', { name: 'Arguments' }).fill(`-c 'exit 1'`);
  await dialog.getByRole('textbox', { name: 'Name' }).fill('looper');
  await dialog.getByRole('combobox', { name: 'Restart policy' }).selectOption('always');
  await dialog.getByRole('spinbutton', { name: 'Retries' }).fill('2');
  await dialog.getByRole('spinbutton', { name: 'Backoff (ms)', exact: true }).fill('100');
  await expect(
    dialog.getByText('Fast exits in a row it restarts after; one more and it is fatal.'),
  ).toBeVisible();
  await screenshotThreeLooks(page, backend, 'start-dialog-restart');
  await dialog.getByRole('button', { name: 'Start' }).click();
  await expect(dialog).toBeHidden();

  const [child] = await backend.call('children:list', {});
  expect(child!.spec.restart).toMatchObject({ policy: 'always', maxRetries: 2, backoffMs: 100 });
  const details = page.getByRole('tabpanel', { name: 'Details' });
  const reason = /gave up after 3 fast exits in \d+\.\d s; policy: always, 2 retries/;
  await expect(details.getByTestId('reason')).toHaveText(reason, { timeout: 10_000 });
  await expect(details.getByTestId('restarts')).toHaveText('2');
  await filterTo(page, 'looper');
  await expect(tree(page).getByRole('row', { name: /^\S+ looper/ })).toContainText(reason);
  await page.getByRole('tab', { name: 'Supervised' }).click();
  await expect(
    page.getByRole('tabpanel', { name: 'Supervised' }).getByRole('row', { name: /looper/ }),
  ).toContainText(reason);
  await page.getByRole('tab', { name: 'Details' }).click();
  await screenshotThreeLooks(page, backend, 'fatal-reason');
});

test("the Start form's errors name the field as labelled, say what to do, and speak the user's language", async ({
  page,
  backend,
}) => {
  await openApp(page, backend);
  await page.getByRole('button', { name: 'Start…' }).click();
  // By role alone: its name changes with the language below.
  const dialog = page.getByRole('dialog');
  await expect(dialog).toHaveAccessibleName('Start a process');
  const start = dialog.getByRole('button', { name: 'Start' });

  await start.click();
  await expect(
    dialog.getByText('Command is required: type the program to run, such as python3 or ./server.'),
  ).toBeVisible();
  await dialog.getByRole('spinbutton', { name: 'Grace before SIGKILL (ms)' }).fill('-5');
  await expect(
    dialog.getByText('Grace before SIGKILL (ms) cannot be below 0: enter 0 or more.'),
  ).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Environment' }).fill(`SMALL=1\nBIG_BLOB=${'x'.repeat(140_000)}`);
  await expect(
    dialog.getByText(/^Environment: the variable BIG_BLOB is too long for the system/),
  ).toBeVisible();
  await screenshotThreeLooks(page, backend, 'start-dialog-errors');

  await backend.call('settings:set', { language: 'zh-CN' });
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(
    dialog.getByText('必须填写“命令”：输入要运行的程序，例如 python3 或 ./server。'),
  ).toBeVisible();
  await backend.call('settings:set', { language: 'en' });
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  // A directory as the command is named as such, not as a permission problem.
  await dialog.getByRole('spinbutton', { name: 'Grace before SIGKILL (ms)' }).fill('1000');
  await dialog.getByRole('textbox', { name: 'Environment' }).fill('');
  await dialog.getByRole('textbox', { name: 'Command' }).fill('/tmp');
  await start.click();
  await expect(dialog.getByRole('alert')).toHaveText(
    'Could not start: The command is a directory, not a program.',
  );
  await screenshot(page, 'start-dialog-directory');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});
