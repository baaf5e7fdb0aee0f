// A window onto another machine (issue 18): the page served by one headless backend adds a second one by
// address and token, switches to it and back, and each view shows its own machine's name, host and
// children; a wrong token, a bad address and a closed port are refused in words with nothing lost; a lost
// connection to the second machine says so and comes back to it.
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from '../harness';
import { startBackend, stopBackend, type Backend } from '../../support/backend-process';
import { filterTo, openApp, removeAllChildren, rowOf, screenshot } from './helpers';

const HOST = hostname();
const secondSettings = join(mkdtempSync(join(tmpdir(), 'proctor-second-')), 'settings.json');
let second: Backend;

test.beforeAll(async () => {
  second = await startBackend({ settingsFile: secondSettings, keepAddress: true });
});
test.afterAll(async () => {
  await stopBackend(second);
});
test.afterEach(async ({ backend }) => {
  await removeAllChildren(backend);
  await removeAllChildren(second);
});

async function supervisedNames(page: Page): Promise<string[]> {
  await page.getByRole('tab', { name: 'Supervised' }).click();
  const panel = page.getByRole('tabpanel', { name: 'Supervised' });
  await expect(panel).toBeVisible();
  return panel.getByRole('table').getByRole('button').allTextContents();
}

test('the first backend’s page adds the second, switches to it and back; each view shows its own machine', async ({
  browser,
  backend,
}) => {
  test.setTimeout(120_000);
  // Its own page: Chromium logs a socket to a closed port as a console error, and that case is tested here.
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  const consoleErrors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
  page.on('pageerror', (error) => consoleErrors.push(error.message));

  const onA = await backend.call('children:start', { command: 'sleep', args: ['300'], name: 'only-on-a' });
  const onB = await second.call('children:start', { command: 'sleep', args: ['300'], name: 'only-on-b' });
  await openApp(page, backend);
  const current = page.getByTestId('machine-current');
  await expect(current).toHaveText(`⌂This machine · ${HOST}`);
  await expect(page).toHaveTitle(`This machine (${HOST}) — Proctor`);
  await expect.poll(() => supervisedNames(page)).toEqual(['only-on-a']);

  await current.click();
  const machines = page.getByRole('dialog', { name: 'Machines' });
  await machines.getByRole('button', { name: 'Add a machine…' }).click();
  const name = machines.getByRole('textbox', { name: 'Name' });
  const address = machines.getByRole('textbox', { name: 'Address' });
  const token = machines.getByLabel('Token');
  const save = machines.getByRole('button', { name: 'Check and save' });
  const problem = machines.getByRole('alert');

  // Each bad input is said for what it is, and the form keeps everything typed.
  await name.fill('machine B');
  await address.fill('127.0.0.1');
  await token.fill(second.token);
  await save.click();
  await expect(problem).toHaveText(
    'That is not an address: write it like http://127.0.0.1:7001 (a port is needed).',
  );
  await address.fill('http://10.1.2.3:7000');
  await save.click();
  await expect(problem).toContainText(
    'Only addresses on this computer (127.0.0.1, localhost) can be watched',
  );
  await address.fill(second.origin);
  await token.fill('wrong-token-wrong-token');
  await save.click();
  await expect(problem).toHaveText(
    'The machine answered but refused this token: copy the token again from the URL it printed.',
  );
  await expect(name).toHaveValue('machine B');
  await expect(address).toHaveValue(second.origin);
  await expect(machines.getByRole('listitem')).toHaveCount(1);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await screenshot(page, `machines-wrong-token-${scheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });

  // The whole URL the second machine printed carries its token: pasted alone, it is enough.
  await token.fill('');
  await address.fill(second.url);
  await save.click();
  await expect(machines.getByRole('form')).toHaveCount(0);
  const pickB = machines.getByRole('button', { name: /^machine B/ });
  await expect(pickB).toBeVisible();
  await screenshot(page, 'machines-switcher-light');

  await pickB.click();
  await expect(current).toHaveText(`⌂machine B · ${HOST}`);
  await expect(page).toHaveTitle(`machine B (${HOST}) — Proctor`);
  await expect.poll(() => supervisedNames(page)).toEqual(['only-on-b']);
  // Both sleeps run on this one computer, so both rows show; only B's is supervised in B's view.
  await filterTo(page, 'sleep 300');
  await expect(rowOf(page, onB.pid!).getByText('supervised')).toBeVisible();
  await expect(rowOf(page, onA.pid!)).toBeVisible();
  await expect(rowOf(page, onA.pid!).getByText('supervised')).toHaveCount(0);
  await filterTo(page, '');
  await current.click();
  await expect(machines.getByTestId('machine-detail')).toHaveText(
    `machine B — ${HOST} · pid ${second.process.pid} · Proctor ${(await second.call('app:info', {})).version}`,
  );
  await expect(machines.getByRole('button', { name: /^machine B/ })).toHaveAttribute('aria-current', 'true');
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await screenshot(page, `machines-showing-b-${scheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await second.call('settings:set', { language: 'zh-CN' });
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(current).toHaveText(`⌂machine B · ${HOST}`);
  await screenshot(page, 'machines-showing-b-zh-CN');
  await second.call('settings:set', { language: 'en' });
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await machines.getByRole('button', { name: 'Close' }).click();

  // A lost connection names the machine; back with a new token, the tab says the token is refused, and
  // editing the machine's token brings it back to that same machine.
  await stopBackend(second);
  const banner = page.getByRole('alert').first();
  await expect(banner).toContainText('Connection to machine B lost, reconnecting…');
  second = await startBackend({ settingsFile: secondSettings, keepAddress: true, args: ['--new-token'] });
  await expect(banner).toHaveText(
    'machine B refused its token: open Machines in the status bar and enter the token that machine printed.',
  );
  await current.click();
  await machines
    .getByRole('listitem')
    .filter({ hasText: 'machine B' })
    .getByRole('button', { name: 'Edit' })
    .click();
  await token.fill(second.token);
  await save.click();
  await expect(current).toHaveText(`⌂machine B · ${HOST}`);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByRole('row').nth(1)).toBeVisible();

  // Back to the first: its own child, not B's; the list was kept across the reloads.
  await current.click();
  await machines.getByRole('button', { name: /^This machine/ }).click();
  await expect(current).toHaveText(`⌂This machine · ${HOST}`);
  await expect.poll(() => supervisedNames(page)).toEqual(['only-on-a']);
  await current.click();
  await expect(machines.getByRole('button', { name: /^machine B/ })).toBeVisible();

  // A closed port: nothing answers, said as such.
  await machines.getByRole('button', { name: 'Add a machine…' }).click();
  await address.fill('http://127.0.0.1:1');
  await token.fill('any-token-any-token');
  await save.click();
  await expect(problem).toHaveText(
    'Nothing answers at that address: is Proctor running there, and the SSH tunnel open?',
  );
  await page.close();
  // The refused reconnects while B was down and the closed port: nothing else went wrong in the page.
  expect(consoleErrors.filter((text) => !/WebSocket connection to .* failed/.test(text))).toEqual([]);
});
