// The Start dialog's "keep as a program": written into the user's stack file (comments kept), run by
// it, and back, running, after the backend restarts. And the tree's names (issue 13, item 8): a running
// supervised row shows its own name with the command's beside it, badges never squeeze the name, two
// children with the same name are warned about and told apart, a program's family carries its name.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test, expect, startBackend, stopBackend } from '../harness';
import { screenshotPath } from '../screenshots';
import { PYTHON, filterTo, openApp, removeAllChildren, rowOf } from './helpers';

test.afterEach(async ({ backend }) => {
  await backend.call('programs:stop', {});
  await removeAllChildren(backend);
});

test('keep as a program: written into the stack file, run, and back after the backend restarts', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const settingsFile = join(mkdtempSync(join(tmpdir(), 'proctor-keep-')), 'settings.json');
  const kept = join(dirname(settingsFile), 'programs.yaml');
  const byHand =
    "# my programs, by hand\nprograms:\n  # started by hand only\n  clock: {command: [sleep, '900'], autostart: false}\n";
  writeFileSync(kept, byHand);
  let backend = await startBackend({ settingsFile });
  try {
    await page.goto(backend.url);
    await page.getByRole('button', { name: 'Start…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Start a process' });
    await dialog.getByRole('textbox', { name: 'Command' }).fill('sleep');
    await dialog.getByRole('textbox', { name: 'Arguments' }).fill('600');
    await dialog.getByRole('textbox', { name: 'Name' }).fill('kept-sleeper');
    await dialog.getByRole('checkbox', { name: /Keep as a program/ }).check();
    await dialog.getByRole('button', { name: 'Start' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText(`Kept in ${kept} as kept-sleeper.`)).toBeVisible();

    // Run by the stack, not as an ad-hoc child beside it.
    const unit = (await backend.call('programs:list', {})).find((u) => u.name === 'kept-sleeper');
    expect(unit).toMatchObject({ state: 'running' });
    const children = await backend.call('children:list', {});
    expect(children.map((child) => child.id)).toEqual([unit!.childId]);
    const text = readFileSync(kept, 'utf8');
    expect(text.startsWith(byHand)).toBe(true);
    expect(text).toMatch(/kept-sleeper:\s+command:\s+- sleep\s+- "?600"?/);

    // In the tree its row carries the program mark.
    await filterTo(page, 'sleep');
    await expect(rowOf(page, unit!.pid!).locator('.mark.program')).toHaveText(/program/);

    // The page leaves first: a window left open would (rightly) log its failed reconnects.
    await page.goto('about:blank');
    await stopBackend(backend);
    backend = await startBackend({ settingsFile });
    await page.goto(backend.url);
    await page.getByRole('button', { name: /^Programs/ }).click();
    const row = page
      .getByRole('table', { name: 'Programs of the stack' })
      .locator('tr[data-program="kept-sleeper"]');
    await expect(row).toHaveAttribute('data-state', 'running');
    await expect(page.getByRole('textbox', { name: 'Stack file' })).toHaveValue(kept);
    const back = (await backend.call('programs:list', {})).find((u) => u.name === 'kept-sleeper');
    expect(back!.pid).not.toBeNull();
    expect(back!.pid).not.toBe(unit!.pid);
    expect(existsSync(`/proc/${unit!.pid}`)).toBe(false);
  } finally {
    await page.goto('about:blank');
    // Stops the kept program before the backend goes, whatever step failed; an error here cannot matter.
    await backend.call('programs:stop', {}).catch(() => undefined);
    await stopBackend(backend);
  }
});

test('a supervised row shows its name beside its command’s, never squeezed; same names warned about and told apart', async ({
  page,
  backend,
}) => {
  const script = 'import time\ntime.sleep(120)';
  // Short enough for the name column even deep in the test runner's tree; the badges alone are wider.
  const long = 'pool4-main';
  const first = await backend.call('children:start', {
    command: PYTHON,
    args: ['-c', script],
    name: long,
    daemon: true,
  });
  const ticker = await backend.call('children:start', {
    command: PYTHON,
    args: ['-c', script],
    name: 'ticker',
  });
  await openApp(page, backend);

  // The second ticker: the dialog warns before it starts.
  await page.getByRole('button', { name: 'Start…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Start a process' });
  await dialog.getByRole('textbox', { name: 'Command' }).fill(PYTHON);
  await dialog.getByRole('textbox', { name: 'Arguments' }).fill(`-c 'import time; time.sleep(120)'`);
  await dialog.getByRole('textbox', { name: 'Name' }).fill('ticker');
  await expect(dialog.getByRole('status')).toHaveText(
    'Another child is already named ticker: this one is shown as ticker #2.',
  );
  await dialog.getByRole('button', { name: 'Start' }).click();
  await expect(dialog).toBeHidden();
  const second = (await backend.call('children:list', {})).find(
    (child) => child.name === 'ticker' && child.id !== ticker.id,
  )!;

  await filterTo(page, 'time.sleep');
  const longRow = rowOf(page, first.pid!);
  const label = longRow.locator('.label');
  await expect(label).toHaveText(long);
  // Its whole name shows: not cut to "pyt…" or "poo…" by the badges.
  expect(await label.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await expect(longRow.locator('.command')).toHaveText(/^python3/);
  await expect(rowOf(page, ticker.pid!).locator('.label')).toHaveText('ticker');
  await expect(rowOf(page, second.pid!).locator('.label')).toHaveText('ticker #2');
  await page.screenshot({ path: screenshotPath('tree-names') });
});

test('a program’s family is marked with the program’s name', async ({ page, backend }) => {
  const dir = mkdtempSync(join(tmpdir(), 'proctor-family-'));
  const file = join(dir, 'proctor.yaml');
  writeFileSync(file, `programs:\n  pool4:\n    command: "sleep 300 & sleep 301 & wait"\n`);
  await backend.call('programs:load', { file });
  await expect.poll(async () => (await backend.call('programs:list', {}))[0]?.pid ?? null).not.toBeNull();
  const [unit] = await backend.call('programs:list', {});
  await openApp(page, backend);
  await filterTo(page, 'sleep 30');
  const programRow = rowOf(page, unit!.pid!);
  await expect(programRow.locator('.label')).toHaveText('pool4');
  await expect(programRow.locator('.command')).toHaveText('sh');
  const family = page.getByRole('row', { name: /sleep 301/ });
  await expect(family.locator('.mark.family')).toHaveText(/^pool4:/);
  await expect(family.locator('.mark.family')).toHaveAttribute('title', 'In the family of the program pool4');
  await page.screenshot({ path: screenshotPath('tree-program-family') });
});
