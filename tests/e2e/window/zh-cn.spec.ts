// Every screen in 简体中文 holds only what the catalogue holds: each text and each title, label and
// placeholder, once the catalogue's own words and the data on screen (process names, users, commands,
// pids, sizes) are taken out, must have no Latin word left. A string built in code, or a backend word
// shown as it came, is what is left.
import type { Page } from '@playwright/test';
import { WORDS } from '../../../shared/words';
import { test, expect, startBackend, stopBackend, type Backend } from '../harness';
import { openApp, removeAllChildren, screenshot } from './helpers';

test.afterEach(async ({ backend }) => {
  await backend.call('settings:set', { language: 'en' });
  await removeAllChildren(backend);
});

type Tree = { readonly [key: string]: string | Tree };

/** Every literal piece of the zh-CN catalogue: the messages cut at their placeholders and plural bars. */
function fragments(tree: Tree): string[] {
  const out: string[] = [];
  for (const value of Object.values(tree)) {
    if (typeof value !== 'string') out.push(...fragments(value));
    else for (const piece of value.split(/\{\s*\w+\s*\}|\|/)) if (piece.trim()) out.push(piece.trim());
  }
  return out;
}
const CATALOGUE = [...new Set(fragments(WORDS['zh-CN'] as unknown as Tree))].sort(
  (a, b) => b.length - a.length,
);

/**
 * Containers whose text is data shown as it is: command lines, paths, environments, output, code, and the
 * family view's process names and its channels as the kernel names them (`pipe:[inode]`).
 */
const DATA =
  '.mono, code, pre, kbd, .cmd, .u-value, .cm-editor, .family .name, .family .node title, .family .edge-ipc title';
/** Symbols that are the same in every language: byte units, signal names, Python's spellings. */
const SYMBOLS = /\b(?:[KMGT]i)?B\b|\bSIG[A-Z0-9+-]+\b/g;

interface Shown {
  where: string;
  text: string;
}

function collect(page: Page): Promise<Shown[]> {
  return page.evaluate((data) => {
    const out: Array<{ where: string; text: string }> = [];
    const where = (element: Element) => {
      const parts: string[] = [];
      for (let at: Element | null = element; at && parts.length < 4; at = at.parentElement)
        parts.unshift(
          at.tagName.toLowerCase() + (at.classList.length ? `.${Array.from(at.classList).join('.')}` : ''),
        );
      return parts.join(' > ');
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      // A language's own name in the language picker is in that language on purpose (lang says so).
      if (!parent || parent.closest(data) || parent.closest('script, style')) continue;
      if (parent.closest('[lang]')?.getAttribute('lang') !== 'zh-CN') continue;
      const text = node.textContent!.trim();
      if (text) out.push({ where: where(parent), text });
    }
    for (const element of Array.from(
      document.querySelectorAll('[title], [aria-label], [placeholder], option'),
    )) {
      if (element.closest(data) || element.closest('[lang]')?.getAttribute('lang') !== 'zh-CN') continue;
      for (const attribute of ['title', 'aria-label', 'placeholder']) {
        const text = element.getAttribute(attribute)?.trim();
        if (text) out.push({ where: `${where(element)}[${attribute}]`, text });
      }
    }
    return out;
  }, DATA);
}

/**
 * What the tree and the lists show as data: every process's name, user and command, every child's name,
 * the Python the lessons run, and the machine's host name the status bar shows.
 */
async function dataOnScreen(backend: Backend): Promise<string[]> {
  const rows = (await backend.call('processes:snapshot', {})).rows;
  const children = await backend.call('children:list', {});
  const { python } = await backend.call('lessons:list', {});
  const { hostname } = await backend.call('app:info', {});
  const words = [
    ...rows.flatMap((row) => [row.name, row.user, row.cmd]),
    ...children.flatMap((child) => [child.name, child.spec.command, ...child.spec.args]),
    python.path ?? '',
    hostname,
  ];
  return [...new Set(words.filter((word) => word.length > 0))].sort((a, b) => b.length - a.length);
}

const wholeWord = (piece: string): RegExp =>
  new RegExp(`(?<![A-Za-z])${piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z])`, 'g');

/** The texts with a Latin word left once the catalogue, the data and the symbols are taken out. */
async function leftovers(page: Page, backend: Backend, screen: string): Promise<string[]> {
  const before = await dataOnScreen(backend);
  const shown = await collect(page);
  const data = [...new Set([...before, ...(await dataOnScreen(backend))])];
  const left: string[] = [];
  for (const { where, text } of shown) {
    // Catalogue and data together, longest first and each only as whole words: "sh" as data must not
    // eat "shim", nor "root" a Python path that holds it.
    let rest = text;
    for (const piece of [...CATALOGUE, ...data].sort((a, b) => b.length - a.length))
      if (rest.includes(piece)) rest = rest.replace(wholeWord(piece), ' ');
    rest = rest.replace(SYMBOLS, ' ');
    if (/[A-Za-z]{2,}/.test(rest)) left.push(`${screen}: "${text}" (${where}) leaves "${rest.trim()}"`);
  }
  return [...new Set(left)];
}

test('every screen in 简体中文 shows only words the catalogue holds', async ({ page }) => {
  test.setTimeout(300_000);
  // A backend of its own: the worker's carries other tests' late words, such as a crash-loop summary that
  // comes a minute after its test ended, with a program name that is no longer data on screen.
  const backend = await startBackend();
  try {
    await everyScreen(page, backend);
    // Off the page before its backend goes: the window's reconnect attempts would be console errors.
    await page.goto('about:blank');
  } finally {
    await stopBackend(backend);
  }
});

async function everyScreen(page: Page, backend: Backend): Promise<void> {
  const running = await backend.call('children:start', { command: 'sleep', args: ['3030'], name: '演示' });
  const exited = await backend.call('children:start', { command: 'true', args: [], name: '已完成' });
  await backend.call('children:join', { id: exited.id, timeoutMs: 5000 });
  await openApp(page, backend);
  await backend.call('settings:set', { language: 'zh-CN' });
  const grid = page.getByRole('treegrid', { name: '进程' });
  await expect(grid).toBeVisible();
  const rowOfPid = (pid: number) => grid.locator(`[id="proc-row-${pid}"]`);
  const found: string[] = [];
  const check = async (screen: string) => {
    found.push(...(await leftovers(page, backend, screen)));
    await screenshot(page, `zh-CN-${screen}`);
  };

  await check('main');
  // Search selects a row and scrolls to it, whatever else the machine runs.
  const search = page.getByRole('searchbox', { name: '搜索', exact: true });
  await search.fill('sleep 3030');
  await expect(page.getByText(/第 1\/1 个/)).toBeVisible();
  await expect(rowOfPid(running.pid!)).toHaveAttribute('aria-selected', 'true');
  await check('search');
  await page.waitForTimeout(2500);
  await page.locator('.chart .u-over').hover();
  await check('details-running');
  await search.fill('');
  // The filter keeps the row in sight however many processes the machine starts meanwhile.
  const filter = page.getByRole('searchbox', { name: '过滤' });
  await filter.fill('已完成');
  await grid.locator('.row.exited').click();
  await expect(grid.locator('.row.exited.selected')).toBeVisible();
  await check('details-exited');
  await filter.fill('');
  await grid.getByRole('row').first().click();
  await check('details-process');

  for (const tab of ['受监管', '设置']) {
    await page.getByRole('tab', { name: tab }).click();
    await check(`tab-${tab}`);
  }

  // The panel asks for Python each time it opens and each run looks for it again; on a loaded machine a
  // probe can time out, so the run is tried until one reports its checks.
  await expect(async () => {
    await page.getByRole('tab', { name: '设置' }).click();
    await page.getByRole('tab', { name: '课程' }).click();
    await page.getByRole('navigation', { name: '课程' }).getByRole('button').nth(2).click();
    const run = page.getByRole('button', { name: '运行', exact: true });
    await expect(run).toBeEnabled({ timeout: 10_000 });
    await run.click();
    await expect(page.locator('[data-run-state]')).toBeVisible({ timeout: 30_000 });
  }).toPass({ timeout: 150_000 });
  await check('lesson-run');

  await search.fill('sleep 3030');
  await expect(rowOfPid(running.pid!)).toHaveAttribute('aria-selected', 'true');
  await search.press('Escape');
  await grid.focus();
  for (const [key, screen] of [
    ['Delete', 'stop'],
    ['k', 'signal'],
    ['?', 'help'],
  ] as const) {
    await page.keyboard.press(key);
    await expect(page.getByRole('dialog')).toBeVisible();
    await check(`dialog-${screen}`);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toBeHidden();
  }
  await page.getByRole('button', { name: '启动…' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await check('dialog-start');
  await page.keyboard.press('Escape');

  expect(found).toEqual([]);
}
