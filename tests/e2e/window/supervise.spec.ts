// A child's whole life through the window: Start… dialog, its row under Proctor with the supervised
// mark, its output streaming into the details panel, and Terminate with the stop preview and timeline.
import { test, expect } from '../harness';
import { childRowsOf, filterTo, openApp, removeAllChildren, rowOf, screenshot, tree } from './helpers';

test.afterEach(async ({ backend }) => removeAllChildren(backend));

test('start from the dialog, watch it stream, terminate it to exitcode −15', async ({ page, backend }) => {
  await openApp(page, backend);

  await page.getByRole('button', { name: 'Start…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Start a process' });
  await expect(dialog).toBeVisible();

  // The contract's own schema speaks first: an empty command is refused before anything is sent.
  await dialog.getByRole('button', { name: 'Start' }).click();
  await expect(dialog.getByText('command is required')).toBeVisible();

  await dialog.getByRole('textbox', { name: 'Command' }).fill('sh');
  await dialog
    .getByRole('textbox', { name: 'Arguments' })
    .fill(`-c 'i=0; while true; do i=$((i+1)); echo tick $i; echo warn $i >&2; sleep 0.2; done'`);
  await dialog.getByRole('textbox', { name: 'Name' }).fill('ticker');
  await dialog.getByRole('textbox', { name: 'Environment' }).fill('TICK_COLOUR=green');
  await expect(dialog.getByText('command is required')).toBeHidden();
  await screenshot(page, 'start-dialog');
  await dialog.getByRole('button', { name: 'Start' }).click();
  await expect(dialog).toBeHidden();

  const [child] = await backend.call('children:list', {});
  expect(child?.name).toBe('ticker');
  const pid = child!.pid!;

  // Under the headless server itself: the guard shim between them is folded away.
  await filterTo(page, 'tick');
  const row = rowOf(page, pid);
  await expect(row).toBeVisible();
  await expect(row.getByText('supervised')).toBeVisible();
  const server = rowOf(page, backend.process.pid!);
  const under = await childRowsOf(page, server);
  expect(await Promise.all(under.map((r) => r.getAttribute('id')))).toContain(`proc-row-${pid}`);

  // Selected on start: the details panel shows its live output, stdout and stderr.
  const details = page.getByRole('tabpanel', { name: 'Details' });
  const output = details.getByRole('log', { name: 'Output' });
  await expect(output).toContainText('tick 3');
  await expect(output).toContainText('warn 3');
  await expect(details.getByText('TICK_COLOUR')).toBeVisible();
  // A few samples in the history chart make the screenshot say something.
  await page.waitForTimeout(2500);
  await screenshot(page, 'details-panel');

  await details.getByRole('button', { name: 'Terminate' }).click();
  const preview = page.getByRole('dialog', { name: `Terminate ticker (${pid})?` });
  await expect(preview).toBeVisible();
  await expect(preview.getByText('The signal goes to the whole process group')).toBeVisible();
  await expect(
    preview.getByRole('list', { name: 'These processes will be hit:' }).getByRole('listitem').first(),
  ).toContainText(String(pid));
  await screenshot(page, 'stop-preview');
  await preview.getByRole('button', { name: 'Terminate' }).click();

  const timeline = details.getByRole('list', { name: 'Stop timeline' });
  await expect(timeline.getByText('SIGTERM sent')).toBeVisible();
  await expect(timeline.getByText('Exited: −15: terminated by SIGTERM')).toBeVisible();
  await expect(details.getByTestId('exitcode')).toHaveText('−15: terminated by SIGTERM');

  // Gone from the process table, still listed with its exitcode until removed.
  await expect(row).toHaveCount(0);
  await page.getByRole('tab', { name: 'Supervised' }).click();
  const listed = page.getByRole('tabpanel', { name: 'Supervised' }).getByRole('row', { name: /ticker/ });
  await expect(listed).toContainText('−15: terminated by SIGTERM');
  await expect(tree(page)).toBeVisible();
});

test('a spawn error comes back in words and keeps the dialog open', async ({ page, backend }) => {
  await openApp(page, backend);
  await page.getByRole('button', { name: 'Start…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Start a process' });
  await dialog.getByRole('textbox', { name: 'Command' }).fill('/no/such/program');
  await dialog.getByRole('button', { name: 'Start' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Could not start: Command not found.');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
});
