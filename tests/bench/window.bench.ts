// The whole app as a user runs it: the headless backend plus Chromium with the window open on the tree,
// CPU at 1 Hz over 20 s at +1,000 and +5,000 idle processes, side by side in the same window of time with
// htop (`htop -d 10`) and btop (`update_ms = 1000`), each in its own tmux, at the same load.
// Chromium is started here and driven over CDP only to open the page: the figures are measured with no
// automation client attached, as a user's window runs (an attached Playwright client is sent every
// WebSocket frame and page event, ~0.5 points of a core in Chromium's browser process at +5,000).
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { chromium } from '@playwright/test';
import { CHROMIUM_PATH, chromiumLaunchOptions } from '../e2e/chromium';
import { startBackend, stopBackend } from '../e2e/harness';
import { CLOCK_TICKS, statFields } from './proc-stat';
import type { BenchPart } from './report';
import { Sleepers } from './sleepers';

const WINDOW_S = 20;
const WARM_UP_S = 5;
const LEVELS = [
  { label: '1k', extra: 1000 },
  { label: '5k', extra: 5000 },
];
const TMUX_SOCKET = 'proctor-window-bench';

/** Every pid under `root` (itself included), from one pass over /proc. */
function familyOf(roots: number[]): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const ppid = Number(statFields(Number(name))[1]);
      (children.get(ppid) ?? children.set(ppid, []).get(ppid)!).push(Number(name));
    } catch {
      // gone
    }
  }
  const out: number[] = [];
  const stack = [...roots];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** CPU ticks (user + system) each pid has used so far; a pid gone since counts what it had. */
function ticksOf(pids: number[], into: Map<number, number>): Map<number, number> {
  for (const pid of pids) {
    try {
      const after = statFields(pid);
      into.set(pid, Number(after[11]) + Number(after[12]));
    } catch {
      // exited: keeps its last reading
    }
  }
  return into;
}

/**
 * Chromium's processes by what they do: the browser, the GPU process (software compositing here), the
 * renderers (the page's, plus spares) and the rest (zygotes, network and storage services). Chromium
 * rewrites its command lines, so a kind is told by the switches that only that kind is started with.
 */
function chromiumParts(browserPid: number): Record<string, number[]> {
  const parts: Record<string, number[]> = { browser: [], gpu: [], renderers: [], services: [] };
  for (const pid of familyOf([browserPid])) {
    let line = '';
    try {
      line = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
    } catch {
      continue;
    }
    if (pid === browserPid) parts.browser!.push(pid);
    else if (line.includes('--gpu-preferences')) parts.gpu!.push(pid);
    else if (line.includes('--renderer-client-id')) parts.renderers!.push(pid);
    else parts.services!.push(pid);
  }
  return parts;
}

/** Percent of one core each group of pids used over `seconds`, read over the same window for all of them. */
async function cpuPctOver(pids: Record<string, number[]>, seconds: number): Promise<Record<string, number>> {
  const before = Object.fromEntries(
    Object.entries(pids).map(([name, list]) => [name, ticksOf(list, new Map())]),
  );
  const started = performance.now();
  await delay(seconds * 1000);
  const wall = (performance.now() - started) / 1000;
  const result: Record<string, number> = {};
  for (const [name, list] of Object.entries(pids)) {
    const start = before[name]!;
    const end = ticksOf(list, new Map(start));
    let ticks = 0;
    for (const [pid, value] of end) ticks += value - (start.get(pid) ?? value);
    result[name] = (ticks / CLOCK_TICKS / wall) * 100;
  }
  return result;
}

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', TMUX_SOCKET, '-f', '/dev/null', ...args], { encoding: 'utf8' });
}

/** Starts `command` in a detached tmux session of its own; answers the pane's pid. */
function inTmux(session: string, command: string): number {
  tmux('new-session', '-d', '-s', session, '-x', '200', '-y', '50', command);
  return Number(tmux('list-panes', '-t', session, '-F', '#{pane_pid}').trim());
}

const VIEWPORT = { width: 1400, height: 860 };

/** Chromium with the app open on the tree, and no client attached once it shows; `close` ends it. */
async function openDetached(url: string): Promise<{ pid: number; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'proctor-window-chromium-'));
  const browserProcess: ChildProcess = spawn(
    CHROMIUM_PATH,
    [
      ...(chromiumLaunchOptions().args ?? []),
      '--headless',
      `--user-data-dir=${profile}`,
      '--remote-debugging-port=0',
      'about:blank',
    ],
    // A process group of its own: the browser's helpers (zygotes, renderers) are ended with it.
    { stdio: 'ignore', detached: true },
  );
  const group = -browserProcess.pid!;
  const close = async () => {
    try {
      process.kill(group, 'SIGTERM');
    } catch {
      // already gone
    }
    // Until the last helper is gone: they write to the profile as they exit.
    for (let waited = 0; waited < 10_000; waited += 100) {
      try {
        process.kill(group, 0);
      } catch {
        break;
      }
      await delay(100);
    }
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  };
  try {
    // Chromium writes the port it chose to its profile folder.
    const portFile = join(profile, 'DevToolsActivePort');
    for (let waited = 0; !existsSync(portFile); waited += 100) {
      if (waited > 30_000) throw new Error('Chromium opened no DevTools port within 30 s');
      await delay(100);
    }
    const port = readFileSync(portFile, 'utf8').split('\n')[0];
    const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
    const page = browser.contexts()[0]!.pages()[0]!;
    // The window's size, not an emulated viewport (which ends with the client): grown until the page
    // inside it is VIEWPORT.
    const session = await page.context().newCDPSession(page);
    const { windowId, bounds } = await session.send('Browser.getWindowForTarget');
    const inner = await page.evaluate(() => ({ width: innerWidth, height: innerHeight }));
    await session.send('Browser.setWindowBounds', {
      windowId,
      bounds: {
        width: bounds.width! + VIEWPORT.width - inner.width,
        height: bounds.height! + VIEWPORT.height - inner.height,
      },
    });
    await page.goto(url);
    await page.getByRole('treegrid', { name: 'Processes' }).getByRole('row').nth(5).waitFor();
    const shown = await page.evaluate(() => ({ width: innerWidth, height: innerHeight }));
    if (shown.width !== VIEWPORT.width || shown.height !== VIEWPORT.height)
      throw new Error(`the page is ${shown.width}x${shown.height}, not ${VIEWPORT.width}x${VIEWPORT.height}`);
    await session.detach();
    // Disconnects; the default context's page stays open.
    await browser.close();
    return { pid: browserProcess.pid!, close };
  } catch (error) {
    await close();
    throw error;
  }
}

const bench: BenchPart = async (report) => {
  const missing = ['htop', 'btop', 'tmux'].filter(
    (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0,
  );
  if (missing.length > 0) {
    console.error(`  window: skipped, ${missing.join(', ')} not installed (apt-get install htop btop tmux)`);
    return;
  }
  if (!existsSync('out/main/server.js') || !existsSync('out/renderer/index.html'))
    throw new Error('out/ is missing: run `npm run build` first');
  // btop reads its settings from $XDG_CONFIG_HOME/btop/btop.conf: a folder of the bench's own.
  const config = mkdtempSync(join(tmpdir(), 'proctor-btop-'));
  mkdirSync(join(config, 'btop'));
  writeFileSync(join(config, 'btop', 'btop.conf'), 'update_ms = 1000\n');
  const sleepers = new Sleepers();
  const backend = await startBackend();
  let window: Awaited<ReturnType<typeof openDetached>> | null = null;
  try {
    window = await openDetached(backend.url);
    const htop = inTmux('htop', 'TERM=xterm-256color htop -d 10');
    const btop = inTmux('btop', `TERM=xterm-256color XDG_CONFIG_HOME=${config} btop`);
    const browserPid = window.pid;
    for (const level of LEVELS) {
      await sleepers.grow(level.extra);
      await delay(WARM_UP_S * 1000);
      // Counted once the ticks of the warm-up have seen the new sleepers, not from the tick before them.
      const { processCount } = (await backend.call('processes:snapshot', {})).stats;
      const parts = chromiumParts(browserPid);
      const cpu = await cpuPctOver(
        {
          backend: familyOf([backend.process.pid!]),
          htop: familyOf([htop]),
          btop: familyOf([btop]),
          ...parts,
        },
        WINDOW_S,
      );
      const chromium = Object.keys(parts).reduce((sum, part) => sum + cpu[part]!, 0);
      const ours = cpu.backend! + chromium;
      const split = Object.keys(parts)
        .map((part) => `${part} ${cpu[part]!.toFixed(2)}`)
        .join(', ');
      report.add({
        area: 'window',
        name: `cpu_pct_${level.label}`,
        value: ours,
        unit: '%',
        note: `backend ${cpu.backend!.toFixed(2)} + Chromium ${chromium.toFixed(2)} (${split}); htop ${cpu.htop!.toFixed(2)}, btop ${cpu.btop!.toFixed(2)}; ${processCount} processes`,
      });
      if (level.label === '5k') {
        report.add({
          area: 'window',
          name: 'vs_htop_5k',
          value: cpu.htop! / ours,
          unit: 'x',
          note: 'target ≥ 4',
        });
        report.add({
          area: 'window',
          name: 'vs_btop_5k',
          value: cpu.btop! / ours,
          unit: 'x',
          note: 'target ≥ 2',
        });
      }
    }
  } finally {
    try {
      tmux('kill-server');
    } catch {
      // no session was started
    }
    await window?.close();
    await stopBackend(backend);
    await sleepers.killAll();
    rmSync(config, { recursive: true, force: true });
  }
};
export default bench;
