// The system meters above the tree: every core, memory, swap, load, uptime and tasks, as the backend read
// them; folding keeps to one line and is remembered; both themes and 简体中文, with screenshots.
import { test, expect } from '../harness';
import { openApp, screenshot } from './helpers';

test.afterEach(async ({ backend }) => {
  await backend.call('settings:set', { language: 'en' });
});

test('the meters show every core, memory, load and tasks the backend read, and fold to one line', async ({
  page,
  backend,
}) => {
  await openApp(page, backend);
  const strip = page.getByRole('region', { name: 'System meters' });
  await expect(strip).toBeVisible();
  const { system } = await backend.call('processes:snapshot', {});
  expect(system).not.toBeNull();
  const cores = system!.now.cores.length;
  for (let i = 0; i < cores; i++)
    await expect(strip.getByRole('meter', { name: String(i), exact: true })).toBeVisible();
  await expect(strip.getByRole('meter', { name: 'Mem' })).toHaveAttribute(
    'aria-valuetext',
    /^used .+, buffers .+, cache .+, available .+$/,
  );
  await expect(strip.getByRole('meter', { name: 'Swap' })).toBeVisible();
  await expect(strip.getByText(/^Tasks: \d+, \d+ thr, \d+ kthr; \d+ running$/)).toBeVisible();
  // The load the window shows is one the backend read in a recent tick.
  await expect
    .poll(async () => {
      const shown = (await strip.getByText(/^\d+\.\d\d \d+\.\d\d \d+\.\d\d$/).textContent()) ?? '';
      const now = (await backend.call('processes:snapshot', {}))
        .system!.now.load.map((v) => v.toFixed(2))
        .join(' ');
      return shown === now;
    })
    .toBe(true);
  // Graphs fill as ticks arrive.
  await expect
    .poll(async () =>
      Number(await strip.getByRole('img', { name: 'CPU 0, last minute' }).getAttribute('data-samples')),
    )
    .toBeGreaterThanOrEqual(3);
  // A core's tooltip spells its split in htop's parts.
  await expect(strip.getByRole('meter', { name: '0', exact: true })).toHaveAttribute(
    'title',
    /^nice [\d.]+%, user [\d.]+%, system [\d.]+%, irq [\d.]+%, softirq [\d.]+%, steal [\d.]+%, guest [\d.]+%, iowait [\d.]+%, idle [\d.]+%$/,
  );

  // A few seconds of graph before the pictures.
  await expect
    .poll(
      async () => ((await backend.call('processes:snapshot', {})).system?.history.cpuPct.length ?? 0) >= 8,
      {
        timeout: 20_000,
      },
    )
    .toBe(true);
  for (const scheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await screenshot(page, `meters-${scheme}`);
  }

  const toggle = strip.getByRole('button', { name: 'Meters' });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(strip.getByRole('meter')).toHaveCount(0);
  await expect(strip.getByText(/^CPU [\d.]+% · Mem .+ \/ .+ · Load [\d. ]+$/)).toBeVisible();
  await screenshot(page, 'meters-folded');
  await page.reload();
  await expect(
    page.getByRole('region', { name: 'System meters' }).getByRole('button', { name: 'Meters' }),
  ).toHaveAttribute('aria-expanded', 'false');
  await page.getByRole('region', { name: 'System meters' }).getByRole('button', { name: 'Meters' }).click();
  await expect(strip.getByRole('meter', { name: 'Mem' })).toBeVisible();
});

test('简体中文 meters', async ({ page, backend }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await backend.call('settings:set', { language: 'zh-CN' });
  await page.goto(backend.url);
  const strip = page.getByRole('region', { name: '系统仪表' });
  await expect(strip.getByRole('meter', { name: '内存' })).toHaveAttribute(
    'aria-valuetext',
    /^已用 .+，缓冲 .+，缓存 .+，可用 .+$/,
  );
  await expect(strip.getByText(/^任务：\d+ 个，\d+ 线程，\d+ 内核线程；\d+ 个运行中$/)).toBeVisible();
  await expect(strip.getByText('平均负载')).toBeVisible();
  await page.waitForTimeout(2500);
  await screenshot(page, 'meters-zh-CN');
});
