// The details chart's time axis, read from what uPlot actually paints: the page records every text drawn
// on a canvas, with where and how wide, so the labels can be held to the locale, to today, and to room.
import type { Page } from '@playwright/test';
import { test, expect } from '../harness';
import { openApp, removeAllChildren, rowOf, screenshot } from './helpers';

test.afterEach(async ({ backend }) => {
  await backend.call('settings:set', { language: 'en' });
  await removeAllChildren(backend);
});

interface Painted {
  at: number;
  inChart: boolean;
  text: string;
  left: number;
  right: number;
  y: number;
  canvasWidth: number;
}

/** Installs the recorder before the app's scripts run. */
async function recordCanvasText(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const painted: Painted[] = [];
    (window as unknown as { painted: Painted[] }).painted = painted;
    const fillText = CanvasRenderingContext2D.prototype.fillText;
    CanvasRenderingContext2D.prototype.fillText = function (
      this: CanvasRenderingContext2D,
      text: string,
      x: number,
      y: number,
    ) {
      const width = this.measureText(text).width;
      const left = this.textAlign === 'center' ? x - width / 2 : this.textAlign === 'right' ? x - width : x;
      const inChart = this.canvas instanceof HTMLCanvasElement && this.canvas.closest('.chart') !== null;
      painted.push({
        at: performance.now(),
        inChart,
        text,
        left,
        right: left + width,
        y,
        canvasWidth: this.canvas.width,
      });
      return fillText.call(this, text, x, y);
    } as typeof fillText;
  });
}

/** Calls this close together belong to one paint of the chart. */
const ONE_PAINT_MS = 20;

/** The time axis's labels of the chart's last paint: the texts on its bottom line, left to right. */
async function timeLabels(page: Page): Promise<Painted[]> {
  const all = await page.evaluate(() =>
    (window as unknown as { painted: Painted[] }).painted.splice(0).filter((call) => call.inChart),
  );
  const end = Math.max(...all.map((call) => call.at));
  const painted = all.filter((call) => call.at > end - ONE_PAINT_MS);
  // The time labels are the ones with a clock in them; the lowest line of those is the axis.
  const times = painted.filter((label) => label.text.includes(':'));
  const bottom = Math.max(...times.map((label) => label.y));
  return times.filter((label) => label.y === bottom).sort((a, b) => a.left - b.left);
}

async function checkAxis(page: Page, clock: RegExp): Promise<void> {
  // Enough samples in that the axis spans more than one label: how many seconds that takes depends on
  // the tick step the chart picks, so the paints are read until it has two.
  let labels: Painted[] = [];
  await expect
    .poll(
      async () => {
        await page.evaluate(() => (window as unknown as { painted: Painted[] }).painted.splice(0));
        await page.waitForTimeout(1500);
        labels = await timeLabels(page);
        return labels.length;
      },
      { timeout: 40_000, intervals: [0] },
    )
    .toBeGreaterThanOrEqual(2);
  for (const label of labels) {
    // Today's times carry no date, in the language's own clock.
    expect(label.text).toMatch(clock);
    expect(label.text).not.toContain('/');
    // Nothing drawn past the canvas's edges.
    expect(label.left).toBeGreaterThanOrEqual(0);
    expect(label.right).toBeLessThanOrEqual(label.canvasWidth);
  }
  // And no label runs into the next.
  for (let i = 1; i < labels.length; i++) expect(labels[i]!.left).toBeGreaterThan(labels[i - 1]!.right);
}

test('the chart labels its time axis in the locale, without a date for today, without overlaps', async ({
  page,
  backend,
}) => {
  // Two axes read until each spans two labels: more than the default minute at worst.
  test.setTimeout(150_000);
  await recordCanvasText(page);
  const child = await backend.call('children:start', { command: 'sleep', args: ['3029'], name: 'charted' });
  await openApp(page, backend);
  await page.getByRole('searchbox', { name: 'Search', exact: true }).fill('sleep 3029');
  await expect(rowOf(page, child.pid!)).toHaveAttribute('aria-selected', 'true');
  const panel = page.getByRole('tabpanel', { name: 'Details' });
  await expect(panel.getByRole('figure', { name: 'CPU and memory' })).toBeVisible();

  await checkAxis(page, /^\d{2}:\d{2}(:\d{2})? [AP]M$/);
  // The legend names the time series in words, and its value is a time too.
  const legend = page.locator('.chart .u-legend');
  await page.locator('.chart .u-over').hover();
  await expect(legend).toContainText('Time');
  await expect(legend).toContainText(/\d{2}:\d{2}:\d{2} [AP]M/);
  await screenshot(page, 'chart-axis-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'chart-axis-dark');

  await backend.call('settings:set', { language: 'zh-CN' });
  await expect(page.getByRole('tab', { name: '详情' })).toBeVisible();
  await checkAxis(page, /^\d{2}:\d{2}(:\d{2})?$/);
  await page.locator('.chart .u-over').hover();
  await expect(legend).toContainText('时间');
  await screenshot(page, 'chart-axis-zh-CN');
});
