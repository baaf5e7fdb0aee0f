import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ProcessRow, TreeRow } from '../../../shared/model';
import type { Monitor, ProcessSource } from '../../../electron/core/monitor';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/monitor');

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

/** Every process a test starts, so `cleanup()` can end them all. */
const started: ChildProcess[] = [];

/** Starts a process with piped stdin/stdout and remembers it for `cleanup()`. */
export function start(command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  started.push(child);
  return child;
}

/**
 * Runs a command under the reaper fixture (a subreaper like the guard shim), so that its orphans
 * and zombies are reaped here: on this machine init never reaps them.
 */
export function startReaped(command: string, args: string[]): ChildProcess {
  return start('python3', [fixture('reaper.py'), command, ...args]);
}

/** The first line the process prints. */
export async function firstLine(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, 'line')) as [string];
  lines.close();
  return line;
}

/** The lines the process prints, one `next()` at a time. */
export function linesOf(child: ChildProcess): AsyncIterator<string> {
  return createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
}

/** Ends every started process (the reaper kills its group on SIGTERM) and waits for each to go. */
export async function cleanup(): Promise<void> {
  const all = started.splice(0);
  await Promise.all(
    all.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(child.spawnargs.includes(fixture('reaper.py')) ? 'SIGTERM' : 'SIGKILL');
      await exited;
    }),
  );
}

/** Samples until `found` returns a value, or fails after `timeoutMs`. */
export async function sampleUntil<T>(
  source: ProcessSource,
  found: (rows: ProcessRow[]) => T | undefined,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = found(await source.sample());
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for the process table');
    await sleep(50);
  }
}

/**
 * Ticks until the monitor gives `pid` the same row object two ticks running (its process has not run
 * and the source gave its row again), and returns that row.
 */
export async function untilRowGivenAgain(monitor: Monitor, pid: number): Promise<TreeRow> {
  let last: TreeRow | undefined;
  for (let tick = 0; tick < 10; tick++) {
    await monitor.tick();
    const row = monitor.lastRows().find((r) => r.pid === pid);
    if (row !== undefined && row === last) return row;
    last = row;
  }
  throw new Error(`process ${pid} got a new row every tick`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A plain row with defaults, for unit tests that build process tables by hand. */
export function row(pid: number, ppid: number, extra: Partial<ProcessRow> = {}): ProcessRow {
  return {
    pid,
    ppid,
    name: `p${pid}`,
    cmd: `p${pid} --arg`,
    state: 'S',
    threads: 1,
    rssBytes: 4096,
    cpuPct: 0,
    uid: 1000,
    user: 'me',
    startedAt: 1000,
    pgid: pid,
    ...extra,
  };
}
