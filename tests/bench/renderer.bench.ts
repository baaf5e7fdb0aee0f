// Rendering cost: with 5,000 extra processes in the table, how long the window takes to apply a
// `processes:delta` and paint the frame that shows it (the renderer's own performance marks).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/chromium';
import { startBackend, stopBackend } from '../e2e/harness';
import { median, type BenchPart } from './report';

const EXTRA = 5_000;
const DELTAS = 15;

/** 5,000 `sleep`s from one shell loop: cheap to start, each pid printed so it can be killed by pid. */
async function startSleepers(count: number): Promise<number[]> {
  const shell = spawn(
    'sh',
    ['-c', `i=0; while [ $i -lt ${count} ]; do sleep 900 >/dev/null 2>&1 & echo $!; i=$((i+1)); done`],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const pids: number[] = [];
  for await (const line of createInterface({ input: shell.stdout! })) pids.push(Number(line));
  return pids;
}

function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

const bench: BenchPart = async (report) => {
  if (!existsSync('out/main/server.js') || !existsSync('out/renderer/index.html')) {
    if (spawnSync('npx', ['electron-vite', 'build'], { stdio: 'ignore' }).status !== 0)
      throw new Error('build failed');
  }
  const sleepers = await startSleepers(EXTRA);
  const backend = await startBackend();
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    // The window measures its deltas' paint only when asked (renderer/src/stores/processes.ts).
    await page.addInitScript(() => sessionStorage.setItem('proctor.measurePaint', '1'));
    await page.goto(backend.url);
    await page.getByRole('treegrid', { name: 'Processes' }).getByRole('row').nth(5).waitFor();
    const { processCount } = (await backend.call('processes:snapshot', {})).stats;
    if (processCount < EXTRA) throw new Error(`only ${processCount} processes in the table`);
    // Scroll into the middle so the rows on screen are the sleepers, then measure fresh deltas only.
    await page.getByRole('treegrid', { name: 'Processes' }).focus();
    await page.keyboard.press('End');
    await page.evaluate(() => performance.clearMeasures());
    await page.waitForFunction(
      (n) => performance.getEntriesByName('proctor:delta', 'measure').length >= n,
      DELTAS,
      { timeout: DELTAS * 4_000 },
    );
    const [durations = [], apply = [], patch = []] = await page.evaluate(() =>
      ['proctor:delta', 'proctor:delta:apply', 'proctor:delta:patch'].map((name) =>
        performance.getEntriesByName(name, 'measure').map((entry) => entry.duration),
      ),
    );
    report.add({
      area: 'renderer',
      name: 'delta_paint_ms_5k',
      value: median(durations),
      unit: 'ms',
      note: `target ≤ 16; ${processCount} processes, ${durations.length} deltas, max ${Math.max(...durations).toFixed(1)}`,
    });
    report.add({
      area: 'renderer',
      name: 'delta_apply_ms_5k',
      value: median(apply),
      unit: 'ms',
      note: 'store work',
    });
    report.add({
      area: 'renderer',
      name: 'delta_patch_ms_5k',
      value: median(patch),
      unit: 'ms',
      note: "Vue's DOM patch",
    });
  } finally {
    await browser.close();
    await stopBackend(backend);
    killAll(sleepers);
  }
};
export default bench;
