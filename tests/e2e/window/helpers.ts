// Shared steps for the window specs: open the app, find rows by role, start fixtures, save screenshots.
import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from '@playwright/test';
import type { Backend } from '../harness';
import { expect } from '../harness';
import { screenshotPath } from '../screenshots';

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = resolve(here, '../../fixtures/window');

/**
 * The Python interpreter itself, not a launcher named python3: a pyenv shim runs helper processes of its
 * own before it execs Python, and a sample can catch them as the first children under the program's row.
 */
export const PYTHON = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], {
  encoding: 'utf8',
}).trim();

/**
 * Opens the window once the monitor has sampled every child still running, so the first snapshot the page
 * takes already shows them (a child started a moment ago otherwise arrives with the next tick).
 */
export async function openApp(page: Page, backend: Backend): Promise<void> {
  await expect
    .poll(async () => {
      const pids = new Set((await backend.call('processes:snapshot', {})).rows.map((row) => row.pid));
      // Asked after the snapshot, so a child that has exited since is not waited for.
      const running = (await backend.call('children:list', {})).filter((child) => child.state === 'running');
      return running.every((child) => child.pid !== null && pids.has(child.pid));
    })
    .toBe(true);
  await page.goto(backend.url);
  await expect(page.getByRole('treegrid', { name: 'Processes' })).toBeVisible();
  await expect(page.getByRole('row').nth(1)).toBeVisible();
}

export function tree(page: Page): Locator {
  return page.getByRole('treegrid', { name: 'Processes' });
}

/** A process row by its pid, which is the first cell and so starts the row's accessible name. */
export function rowOf(page: Page, pid: number): Locator {
  return tree(page).getByRole('row', { name: new RegExp(`^${pid} `) });
}

/**
 * Brings `row` into the page by searching for `query` (its pid or name), as a user finds a row: the tree
 * is virtualised, so a row below the fold is not in the page at all, and on a machine running more than
 * a bare CI's processes the backend's children sit below it. The search selects the first hit and
 * scrolls to it; the search is then cleared, which keeps the selection and the scroll.
 */
export async function reveal(page: Page, row: Locator, query: string): Promise<Locator> {
  const search = page.getByRole('searchbox', { name: 'Search', exact: true });
  await search.fill(query);
  await expect(row.first()).toBeAttached();
  await search.fill('');
  return row;
}

export async function levelOf(row: Locator): Promise<number> {
  return Number(await row.getAttribute('aria-level'));
}

export async function filterTo(page: Page, text: string): Promise<void> {
  const box = page.getByRole('searchbox', { name: 'Filter' });
  await box.fill(text);
}

/**
 * The rows directly under `parent` (the next rows one level deeper, until the level falls back), as
 * locators by row id. The rows are read in one go: reading them one by one races the next sample's
 * repaint, which can shift them in between.
 */
export async function childRowsOf(page: Page, parent: Locator): Promise<Locator[]> {
  const parentId = await parent.getAttribute('id');
  const rows = await tree(page)
    .getByRole('row')
    .evaluateAll((all) => all.map((row) => ({ id: row.id, level: Number(row.getAttribute('aria-level')) })));
  const at = rows.findIndex((row) => row.id === parentId);
  if (at < 0) return [];
  const parentLevel = rows[at]!.level;
  const out: Locator[] = [];
  for (const row of rows.slice(at + 1)) {
    if (row.level <= parentLevel) break;
    if (row.level === parentLevel + 1) out.push(tree(page).locator(`[id="${row.id}"]`));
  }
  return out;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: screenshotPath(name) });
}

/** Removes every supervised child the spec left, so the next spec starts from a clean list. */
export async function removeAllChildren(backend: Backend): Promise<void> {
  for (const child of await backend.call('children:list', {})) {
    if (child.state === 'running' || child.state === 'starting' || child.state === 'stopping') {
      await backend.call('children:kill', { id: child.id });
      await backend.call('children:join', { id: child.id, timeoutMs: 5000 });
    }
    await backend.invoke('children:remove', { id: child.id });
  }
}
