// Themes and languages, with the screenshots the README shows.
import type { Page } from '@playwright/test';
import { test, expect } from '../harness';
import { join } from 'node:path';
import { FIXTURES, openApp, removeAllChildren, screenshot, tree } from './helpers';

test.afterEach(async ({ backend }) => {
  await backend.call('settings:set', { language: 'en' });
  await removeAllChildren(backend);
});

test('dark and light follow the system', async ({ page, backend }) => {
  await backend.call('children:start', {
    command: 'python3',
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
    // No button anywhere may paint its label in its own background colour (a scoped style once did).
    for (const tab of ['Details', 'Supervised', 'Settings', 'Lessons']) {
      await page.getByRole('tab', { name: tab }).click();
      if (tab === 'Lessons')
        await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeVisible();
      expect(await unreadableButtons(page), `${scheme}, ${tab} tab`).toEqual([]);
    }
  }
});

/** Visible buttons whose text colour is their background colour. */
function unreadableButtons(page: Page): Promise<string[]> {
  return page.locator('button:visible').evaluateAll((buttons) =>
    buttons
      .filter((button) => {
        const style = getComputedStyle(button);
        return button.textContent!.trim() !== '' && style.color === style.backgroundColor;
      })
      .map((button) => button.textContent!.trim()),
  );
}

test('简体中文 from the settings switches the labels', async ({ page, backend }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openApp(page, backend);
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
  await expect(page.getByRole('button', { name: '启动…' })).toBeVisible();
  await expect(page.getByRole('treegrid', { name: '进程' })).toBeVisible();
  await expect(page.getByRole('tab', { name: '设置' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await screenshot(page, 'window-zh-CN');
  await page.getByRole('combobox', { name: '语言' }).selectOption('en');
  await expect(page.getByRole('button', { name: 'Start…' })).toBeVisible();
});
