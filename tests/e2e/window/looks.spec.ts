// Themes and languages, with the screenshots the README shows.
import type { Locator } from '@playwright/test';
import { test, expect } from '../harness';
import { join } from 'node:path';
import { FIXTURES, openApp, removeAllChildren, screenshot, tree, PYTHON } from './helpers';

test.afterEach(async ({ backend }) => {
  await backend.call('settings:set', { language: 'en' });
  await removeAllChildren(backend);
});

test('dark and light follow the system', async ({ page, backend }) => {
  await backend.call('children:start', {
    command: PYTHON,
    args: [join(FIXTURES, 'pool3.py')],
    name: 'pool3',
  });
  for (const scheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await openApp(page, backend);
    await page.getByRole('button', { name: 'Supervised only' }).click();
    await tree(page)
      .getByRole('row', { name: /pool3\.py/ })
      .first()
      .click();
    await expect(
      page.getByRole('tabpanel', { name: 'Details' }).getByRole('heading', { name: 'pool3' }),
    ).toBeVisible();
    await page.getByRole('button', { name: 'Supervised only' }).click();
    await expect(page.locator('body')).toHaveCSS(
      'background-color',
      scheme === 'dark' ? 'rgb(20, 23, 28)' : 'rgb(251, 252, 253)',
    );
    await page.waitForTimeout(1500);
    await screenshot(page, `window-${scheme}`);
    // Every enabled button's label must be readable, at rest and (for the filled ones) under the mouse.
    for (const tab of ['Details', 'Supervised', 'Settings', 'Lessons']) {
      await page.getByRole('tab', { name: tab }).click();
      if (tab === 'Lessons')
        await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeVisible();
      expect(await poorContrast(page.locator('button:visible:enabled')), `${scheme}, ${tab} tab`).toEqual([]);
      for (const filled of await page.locator('button.primary:visible:enabled').all()) {
        await filled.hover();
        expect(await poorContrast(filled), `${scheme}, ${tab} tab, hovered`).toEqual([]);
      }
    }
  }
});

test('faded rows and their badges stay readable in both themes', async ({ page, backend }) => {
  // A supervised child that has exited: a faded row with its faded "supervised" badge; one running beside it.
  const done = await backend.call('children:start', { command: 'true', args: [], name: 'finished' });
  await backend.call('children:join', { id: done.id, timeoutMs: 5000 });
  await backend.call('children:start', { command: 'sleep', args: ['3028'], name: 'running' });
  for (const scheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await openApp(page, backend);
    await page.getByRole('button', { name: 'Supervised only' }).click();
    const exited = tree(page).locator('.row.exited');
    await expect(exited).toHaveCount(1);
    await expect(exited.locator('.mark.supervised')).toBeVisible();
    // Every text of every row on screen: the cells and the badges, at rest and selected.
    const texts = tree(page).locator('.row [role="gridcell"], .row .label, .row .mark');
    expect(await poorContrast(texts), `${scheme}, at rest`).toEqual([]);
    await exited.click();
    expect(await poorContrast(texts), `${scheme}, exited row selected`).toEqual([]);
    await screenshot(page, `faded-rows-${scheme}`);
    await page.getByRole('button', { name: 'Supervised only' }).click();
  }
  await page.getByRole('button', { name: 'Supervised only' }).click();
  await backend.call('settings:set', { language: 'zh-CN' });
  await expect(page.getByRole('button', { name: '仅受监管' })).toBeVisible();
  await screenshot(page, 'faded-rows-zh-CN');
});

test('简体中文 from the settings switches the labels', async ({ page, backend }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openApp(page, backend);
  await page.getByRole('tab', { name: 'Settings' }).click();
  // A second window on the same backend follows the switch, pushed as settings:changed.
  const other = await page.context().newPage();
  await other.goto(backend.url);
  await expect(other.getByRole('button', { name: 'Start…' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
  await expect(page.getByRole('button', { name: '启动…' })).toBeVisible();
  await expect(other.getByRole('button', { name: '启动…' })).toBeVisible();
  await other.close();
  await expect(page.getByRole('treegrid', { name: '进程' })).toBeVisible();
  await expect(page.getByRole('tab', { name: '设置' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await screenshot(page, 'window-zh-CN');
  await page.getByRole('combobox', { name: '语言' }).selectOption('en');
  await expect(page.getByRole('button', { name: 'Start…' })).toBeVisible();
});

/**
 * Elements whose text contrasts under 4.5:1 with what is behind it (WCAG AA for text this size), with the
 * ratio. The background is the nearest one painted, the element's own or an ancestor's, blended over the
 * page; the text is blended by the opacity of the element and its ancestors, so a faded row counts as it
 * looks.
 */
function poorContrast(elements: Locator): Promise<string[]> {
  return elements.evaluateAll((all) => {
    const rgba = (css: string) => {
      const [r = 0, g = 0, b = 0, a = 1] = (css.match(/[\d.]+/g) ?? []).map(Number);
      return { c: [r, g, b], a };
    };
    const over = (top: number[], bottom: number[], alpha: number) =>
      top.map((channel, i) => channel * alpha + bottom[i]! * (1 - alpha));
    const luminance = ([r, g, b]: number[]) => {
      const [lr, lg, lb] = [r!, g!, b!].map((c) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * lr! + 0.7152 * lg! + 0.0722 * lb!;
    };
    const pageColour = rgba(getComputedStyle(document.body).backgroundColor).c;
    /** The painted backgrounds from the element up, laid over each other, and the opacity above it. */
    const behind = (element: Element): { bg: number[]; opacity: number } => {
      const layers: Array<{ c: number[]; a: number }> = [];
      let opacity = 1;
      for (let at: Element | null = element; at; at = at.parentElement) {
        const style = getComputedStyle(at);
        opacity *= Number(style.opacity);
        const colour = rgba(style.backgroundColor);
        if (colour.a > 0) layers.push(colour);
        if (colour.a === 1) break;
      }
      let bg = pageColour;
      for (const layer of layers.reverse()) bg = over(layer.c, bg, layer.a);
      return { bg, opacity };
    };
    return all
      .filter((element) => element.textContent!.trim() !== '')
      .map((element) => {
        const { bg, opacity } = behind(element);
        const text = rgba(getComputedStyle(element).color);
        const fg = over(text.c, bg, text.a * opacity);
        const [a, b] = [luminance(fg), luminance(bg)];
        const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        return { text: element.textContent!.trim(), ratio };
      })
      .filter(({ ratio }) => ratio < 4.5)
      .map(({ text, ratio }) => `${text}: ${ratio.toFixed(2)}:1`);
  });
}
