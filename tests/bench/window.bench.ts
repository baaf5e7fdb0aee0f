// The whole app as a user runs it: the headless backend plus Chromium with the window open on the tree,
// CPU at 1 Hz over 20 s at +1,000 and +5,000 idle processes, side by side in the same window of time with
// htop (`htop -d 10`) and btop (`update_ms = 1000`), each in its own tmux, at the same load.
import { execFileSync, spawnSync } from 'node:child_process';
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
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/chromium';
import { startBackend, stopBackend } from '../e2e/harness';
import type { BenchPart } from './report';
import { Sleepers } from './sleepers';

const WINDOW_S = 20;
const WARM_UP_S = 5;
const LEVELS = [
  { label: '1k', extra: 1000 },
  { label: '5k', extra: 5000 },
];
const TMUX_SOCKET = 'proctor-window-bench';
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** Every pid under `root` (itself included), from one pass over /proc. */
function familyOf(roots: number[]): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
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
      const fields = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const after = fields.slice(fields.lastIndexOf(')') + 2).split(' ');
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
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
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
  // A server, not a plain launch: its process is what the bench measures (with the renderers under it).
  const server = await chromium.launchServer(chromiumLaunchOptions());
  const browser = await chromium.connect(server.wsEndpoint());
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(backend.url);
    await page.getByRole('treegrid', { name: 'Processes' }).getByRole('row').nth(5).waitFor();
    const htop = inTmux('htop', 'TERM=xterm-256color htop -d 10');
    const btop = inTmux('btop', `TERM=xterm-256color XDG_CONFIG_HOME=${config} btop`);
    const browserPid = server.process().pid;
    if (!browserPid) throw new Error('no Chromium process to measure');
    for (const level of LEVELS) {
      await sleepers.grow(level.extra);
      const { processCount } = (await backend.call('processes:snapshot', {})).stats;
      await new Promise((resolve) => setTimeout(resolve, WARM_UP_S * 1000));
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
    await browser.close();
    await server.close();
    await stopBackend(backend);
    await sleepers.killAll();
    rmSync(config, { recursive: true, force: true });
  }
};
export default bench;
