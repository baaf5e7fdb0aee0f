// The first seconds of a new user: a hint says what Proctor is and what to do, until dismissed for good;
// the guard in the status bar says in plain words what it is and why it matters.
import { test, expect } from '../harness';
import { openApp, screenshot } from './helpers';

test.afterEach(async ({ backend }) => backend.call('settings:set', { language: 'en' }));

test('a first-run hint says what the app is and what to do, and stays dismissed', async ({
  page,
  backend,
}) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await openApp(page, backend);
  const panel = page.getByRole('tabpanel', { name: 'Details' });
  const hint = panel.getByRole('region', { name: /^Proctor: every process on this machine/ });
  await expect(hint).toBeVisible();
  await expect(hint).toContainText('Each row is a running process');
  await expect(hint).toContainText('Start… runs a program');
  await screenshot(page, 'first-run-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'first-run-dark');

  // Its buttons do what they say.
  const start = hint.getByRole('button', { name: 'Start a program…' });
  await start.click();
  await expect(page.getByRole('dialog', { name: /Start/ })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(start).toBeFocused();

  await backend.call('settings:set', { language: 'zh-CN' });
  const zh = page.getByRole('region', { name: /^Proctor：实时查看本机的每个进程/ });
  await expect(zh).toBeVisible();
  await screenshot(page, 'first-run-zh-CN');
  await zh.getByRole('button', { name: '打开课程' }).click();
  await expect(page.getByRole('tab', { name: '课程' })).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('tab', { name: '详情' }).click();
  await zh.getByRole('button', { name: '知道了' }).click();
  await expect(zh).toBeHidden();
  await expect(page.getByRole('treegrid')).toBeFocused();

  await page.reload();
  await expect(page.getByRole('treegrid')).toBeVisible();
  await expect(page.getByRole('row').nth(1)).toBeVisible();
  await expect(page.getByText('选择一个进程以查看详情')).toBeVisible();
  await expect(page.getByRole('region', { name: /Proctor/ })).toHaveCount(0);
});

test('the guard in the status bar says what it is and why it matters', async ({ page, backend }) => {
  await openApp(page, backend);
  const info = await backend.call('app:info', {});
  const guard = page.getByRole('contentinfo').locator('.guard');
  if (info.guard.kind === 'shim') {
    await expect(guard).toHaveText('Guard: on');
    await expect(guard).toHaveAttribute(
      'title',
      /when Proctor ends, even by a crash or a kill, every program it started ends with it/,
    );
    await expect(guard).not.toHaveAttribute('title', /shim|subreaper|prctl/);
  } else {
    await expect(guard).toHaveText('Guard: off');
    // Plain words first; the technical reason follows them, for whoever can fix it.
    await expect(guard).toHaveAttribute('title', /^The guard is off: if Proctor crashes or is killed/);
  }
  await backend.call('settings:set', { language: 'zh-CN' });
  await expect(guard).toHaveText(/^守卫：(开启|关闭)$/);
  await expect(guard).toHaveAttribute('title', /^守卫已(开启|关闭)：/);
});
