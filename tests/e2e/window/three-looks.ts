// One screen in the three looks the issues ask to see: dark, light, and 简体中文 (light), as it stands.
import type { Page } from '@playwright/test';
import type { Backend } from '../harness';
import { expect } from '../harness';
import { screenshot } from './helpers';

export async function screenshotThreeLooks(page: Page, backend: Backend, name: string): Promise<void> {
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
  await screenshot(page, `${name}-light`);
  await backend.call('settings:set', { language: 'zh-CN' });
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await screenshot(page, `${name}-zh-CN`);
  await backend.call('settings:set', { language: 'en' });
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
}
