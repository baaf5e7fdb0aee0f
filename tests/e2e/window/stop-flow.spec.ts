// The stop flow as a new user meets it (issue 13, items 1–4): the timeline says what really happened
// and when, the preview follows the live tree and lists only what the signal reaches, and the selection
// follows a supervised child across a restart.
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from '../harness';
import { openApp, removeAllChildren, reveal, rowOf, tree } from './helpers';
import { screenshotThreeLooks } from './three-looks';

test.afterEach(async ({ backend }) => removeAllChildren(backend));

const CLOCK_MS = /^\d\d:\d\d:\d\d\.\d{3}$/;

async function openDetailsOf(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name: 'Supervised' }).click();
  await page.getByRole('tabpanel', { name: 'Supervised' }).getByRole('button', { name }).click();
  await expect(
    page.getByRole('tabpanel', { name: 'Details' }).getByRole('heading', { name, exact: true }),
  ).toBeVisible();
}

/** Milliseconds in a "+120 ms" / "+1.503 s" elapsed stamp. */
function elapsedMs(text: string): number {
  const match = /^\+([\d.]+) (ms|s)$/.exec(text.trim());
  if (!match) throw new Error(`not an elapsed stamp: ${text}`);
  return Number(match[1]) * (match[2] === 's' ? 1000 : 1);
}

test('the stop timeline: a quick exit shows "exited after N ms", a grace that runs out is stamped when it did', async ({
  page,
  backend,
}) => {
  await backend.call('children:start', {
    command: 'sh',
    args: ['-c', "trap 'sleep 0.1; exit 3' TERM; echo ready; while :; do sleep 0.05; done"],
    name: 'quick',
  });
  await backend.call('children:start', {
    command: 'sh',
    args: ['-c', "trap '' TERM; echo ready; while :; do sleep 0.1; done"],
    name: 'stubborn',
    graceMs: 1500,
  });
  await openApp(page, backend);
  const details = page.getByRole('tabpanel', { name: 'Details' });
  const timeline = details.getByRole('list', { name: 'Stop timeline' });

  await openDetailsOf(page, 'quick');
  await details.getByRole('button', { name: 'Terminate' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Terminate' }).click();
  const exited = timeline.getByRole('listitem').filter({ hasText: /Exited after/ });
  await expect(exited).toContainText(/Exited after \d+ ms: 3: exited with code 3/);
  await expect(timeline.getByText('Grace period over')).toHaveCount(0);
  for (const stamp of await timeline.locator('time').allTextContents()) expect(stamp).toMatch(CLOCK_MS);
  await screenshotThreeLooks(page, backend, 'stop-timeline-quick');

  await openDetailsOf(page, 'stubborn');
  await details.getByRole('button', { name: 'Terminate' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Terminate' }).click();
  // While the grace runs it counts down; it is stamped as over only when it ran out.
  await expect(timeline.getByText(/Grace: SIGKILL in [\d.]+ s/)).toBeVisible();
  await expect(timeline.getByText('Grace period over')).toHaveCount(0);
  const over = timeline.getByRole('listitem').filter({ hasText: 'Grace period over' });
  await expect(over).toBeVisible({ timeout: 5000 });
  const overAfter = elapsedMs((await over.locator('.since').textContent())!);
  expect(overAfter).toBeGreaterThanOrEqual(1499);
  expect(overAfter).toBeLessThan(2500);
  await expect(timeline.getByRole('listitem').filter({ hasText: /Exited after [\d.]+ s: −9/ })).toBeVisible();
  await expect(timeline.getByText(/Grace: SIGKILL in/)).toHaveCount(0);
  await screenshotThreeLooks(page, backend, 'stop-timeline-grace');
});

test('the stop preview follows the live tree: a target that exits while it is open says so', async ({
  page,
  backend,
}) => {
  // It ends when the test says so (its two sleeps go with it: the guard sweeps its family).
  const mark = join(tmpdir(), `proctor-brief-${process.pid}-${Date.now()}`);
  const child = await backend.call('children:start', {
    command: 'sh',
    args: ['-c', `sleep 300 & sleep 300 & until [ -e ${mark} ]; do sleep 0.2; done`],
    name: 'brief',
  });
  await openApp(page, backend);
  await tree(page).focus();
  await (await reveal(page, rowOf(page, child.pid!), String(child.pid))).click();
  await page.keyboard.press('Delete');
  const preview = page.getByRole('dialog', { name: `Terminate brief (${child.pid})?` });
  const hits = preview.getByRole('list', { name: /The signal reaches these \d+ processes/ });
  await expect(hits.getByRole('listitem').filter({ hasText: /^\d+sleepsleep 300/ })).toHaveCount(2);
  await screenshotThreeLooks(page, backend, 'stop-preview-live');
  // It ends while the dialog is open.
  writeFileSync(mark, '');
  await expect(preview.getByRole('alert')).toHaveText(
    `brief (${child.pid}) has already exited: there is nothing left to stop.`,
    { timeout: 10_000 },
  );
  await expect(preview.getByRole('button', { name: 'Terminate' })).toBeDisabled();
  await expect(preview.getByRole('listitem')).toHaveCount(0);
  await screenshotThreeLooks(page, backend, 'stop-preview-gone');
  await preview.getByRole('button', { name: 'Cancel' }).click();
  rmSync(mark, { force: true });
});

test('Del on pid 1 lists only pid 1 as hit; what the signal misses is a separate, folded list', async ({
  page,
  backend,
}) => {
  await openApp(page, backend);
  await tree(page).focus();
  await rowOf(page, 1).click();
  await page.keyboard.press('Delete');
  const preview = page.getByRole('dialog', { name: /^Terminate .* \(1\)\?$/ });
  await expect(preview.getByText('The signal goes to pid 1 only.')).toBeVisible();
  const hits = preview.getByRole('list', { name: 'The signal reaches this process:' });
  await expect(hits.getByRole('listitem')).toHaveCount(1);
  await expect(hits.getByRole('listitem')).toContainText(/^1\D/);
  const missed = preview.getByRole('group').filter({ hasText: /Not signalled: \d+ descendant/ });
  const missedList = preview.getByRole('list', { name: 'Processes the signal misses' });
  await expect(missedList).toBeHidden();
  await screenshotThreeLooks(page, backend, 'stop-preview-pid1');
  await preview.getByText(/Not signalled: \d+ descendant/).click();
  await expect(missedList).toBeVisible();
  // This very server is one of the processes pid 1's signal would not reach.
  await expect(missedList.getByRole('listitem').filter({ hasText: String(backend.process.pid) })).toHaveCount(
    1,
  );
  expect(await missed.count()).toBe(1);
  await screenshotThreeLooks(page, backend, 'stop-preview-pid1-missed');
  await preview.getByRole('button', { name: 'Cancel' }).click();
});

test('after Restart the selection follows the child to its new pid: toolbar and Del act on it', async ({
  page,
  backend,
}) => {
  const child = await backend.call('children:start', { command: 'sleep', args: ['3019'], name: 'again' });
  await openApp(page, backend);
  await (await reveal(page, rowOf(page, child.pid!), String(child.pid))).click();
  const details = page.getByRole('tabpanel', { name: 'Details' });
  await details.getByRole('button', { name: 'Restart' }).click();
  // Running again under a new pid (while starting, it has none).
  await expect
    .poll(async () => {
      const now = (await backend.call('children:list', {})).find((c) => c.id === child.id);
      return now?.state === 'running' && now.pid !== child.pid;
    })
    .toBe(true);
  const next = (await backend.call('children:list', {})).find((c) => c.id === child.id)!;
  await expect(rowOf(page, next.pid!)).toHaveAttribute('aria-selected', 'true');
  const toolbar = page.getByRole('toolbar');
  await expect(toolbar.getByRole('button', { name: 'Terminate', exact: true })).toBeEnabled();
  await expect(toolbar.getByRole('button', { name: 'Kill', exact: true })).toBeEnabled();
  await screenshotThreeLooks(page, backend, 'restart-selected');
  await tree(page).focus();
  await page.keyboard.press('Delete');
  await expect(page.getByRole('dialog', { name: `Terminate again (${next.pid})?` })).toBeVisible();
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
});
