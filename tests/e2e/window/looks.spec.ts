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
 * Buttons whose label contrasts under 4.5:1 with what is behind it (WCAG AA for text this size), with
 * the ratio; the background is the nearest one painted, the button's own or an ancestor's.
 */
function poorContrast(buttons: Locator): Promise<string[]> {
  return buttons.evaluateAll((elements) => {
    const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r, g, b]: number[]) => {
      const [lr, lg, lb] = [r!, g!, b!].map((c) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * lr! + 0.7152 * lg! + 0.0722 * lb!;
    };
    const backgroundOf = (element: Element | null): number[] => {
      for (let at = element; at; at = at.parentElement) {
        const colour = rgb(getComputedStyle(at).backgroundColor);
        if (colour.length === 3 || colour[3] !== 0) return colour;
      }
      return [255, 255, 255];
    };
    return elements
      .filter((element) => element.textContent!.trim() !== '')
      .map((element) => {
        const [fg, bg] = [luminance(rgb(getComputedStyle(element).color)), luminance(backgroundOf(element))];
        const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
        return { text: element.textContent!.trim(), ratio };
      })
      .filter(({ ratio }) => ratio < 4.5)
      .map(({ text, ratio }) => `${text}: ${ratio.toFixed(2)}:1`);
  });
}
