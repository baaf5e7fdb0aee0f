// The meters on this machine, checked against /proc read here and against procps's `free` and `uptime`.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Monitor, ProcSource } from '../../../../electron/core/monitor';
import { ProcMeters } from '../../../../electron/core/monitor/meters/system-meters';
import { unpackSample } from '../../../../shared/meters';
import { cleanup, sleep, start } from '../helpers';

const meters: ProcMeters[] = [];
function fresh(): ProcMeters {
  const made = new ProcMeters();
  meters.push(made);
  return made;
}
afterEach(() => meters.splice(0).forEach((m) => m.close()));
afterAll(cleanup);

/** Clock ticks per state of one /proc/stat line, read and summed here without the reader's code. */
function coreTicks(label: string): {
  user: number;
  nice: number;
  system: number;
  idle: number;
  total: number;
} {
  const line = readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${label} `))!;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return {
    user: user!,
    nice: nice!,
    system: system!,
    idle: idle!,
    total: user! + nice! + system! + idle! + iowait! + irq! + softirq! + steal!,
  };
}

function pct(part: number, whole: number): number {
  return (part / whole) * 100;
}

/** The three load averages of /proc/loadavg. */
function loadavg(): number[] {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
}

/** Runs `read` between two reads of the load; retries (a few times at most) until it did not change meanwhile. */
function steady<T>(read: () => T): { load: number[]; value: T } {
  for (let attempt = 0; ; attempt++) {
    const before = loadavg();
    const value = read();
    const after = loadavg();
    if (after.join() === before.join() || attempt === 20) return { load: before, value };
  }
}

describe('ProcMeters on this machine', () => {
  it("splits a core's time as /proc/stat read around it says, with a busy loop pinned to core 0", async () => {
    start('taskset', ['-c', '0', 'python3', '-c', 'while True: pass']);
    await sleep(300);
    const m = fresh();
    const outerBefore = coreTicks('cpu0');
    m.read([], Date.now());
    const innerBefore = coreTicks('cpu0');
    await sleep(1500);
    const innerAfter = coreTicks('cpu0');
    const sample = m.read([], Date.now())!;
    const outerAfter = coreTicks('cpu0');

    const core0 = sample.cores[0]!;
    // The reader's interval lies inside the outer one and holds the inner one; ticks are 10 ms, so the
    // two brackets agree to a couple of points.
    for (const [field, ours] of [
      ['user', core0.user + core0.guest],
      ['system', core0.system],
      ['idle', core0.idle],
    ] as const) {
      const outer = pct(outerAfter[field] - outerBefore[field], outerAfter.total - outerBefore.total);
      const inner = pct(innerAfter[field] - innerBefore[field], innerAfter.total - innerBefore.total);
      expect(ours, field).toBeGreaterThanOrEqual(Math.min(outer, inner) - 3);
      expect(ours, field).toBeLessThanOrEqual(Math.max(outer, inner) + 3);
    }
    // The loop keeps core 0 busy, whoever else shares it.
    expect(100 - core0.idle - core0.iowait).toBeGreaterThan(85);
    expect(sample.cores).toHaveLength(Number(execFileSync('nproc', ['--all'], { encoding: 'utf8' })));
    const parts = Object.values(core0).reduce((sum, value) => sum + value, 0);
    expect(parts).toBeCloseTo(100, 0);
  });

  it('counts memory and swap as `free -b` does', () => {
    const m = fresh();
    const free = execFileSync('free', ['-b'], { encoding: 'utf8' });
    const memory = m.read([], Date.now())!.memory;
    const [total, used, , shared, cache, available] = /^Mem:(.*)$/m
      .exec(free)![1]!
      .trim()
      .split(/\s+/)
      .map(Number);
    const [swapTotal, swapUsed] = /^Swap:(.*)$/m.exec(free)![1]!.trim().split(/\s+/).map(Number);
    // Memory moves between the two reads (others run here too): 64 MiB of slack, totals exact.
    const slack = 64 * 2 ** 20;
    expect(memory.totalBytes).toBe(total);
    expect(Math.abs(memory.usedBytes - used!)).toBeLessThan(slack);
    expect(Math.abs(memory.availableBytes - available!)).toBeLessThan(slack);
    expect(Math.abs(memory.buffersBytes + memory.cachedBytes - cache!)).toBeLessThan(slack);
    expect(Math.abs(memory.sharedBytes - shared!)).toBeLessThan(slack);
    expect(memory.swapTotalBytes).toBe(swapTotal);
    expect(Math.abs(memory.swapUsedBytes - swapUsed!)).toBeLessThan(slack);
  });

  it('reads the load as /proc/loadavg and `uptime` print it, and the uptime as /proc/uptime', () => {
    const m = fresh();
    const { load, value } = steady(() => m.read([], Date.now())!);
    expect(value.load).toEqual(load);
    const { value: again } = steady(() => ({
      sample: m.read([], Date.now())!,
      printed: execFileSync('uptime', { encoding: 'utf8' }),
    }));
    const shown = /load average: ([\d.]+), ([\d.]+), ([\d.]+)/.exec(again.printed)!.slice(1).map(Number);
    again.sample.load.forEach((load, i) => expect(load).toBeCloseTo(shown[i]!, 2));

    const before = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    const up = m.read([], Date.now())!.uptimeSec;
    const after = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    expect(up).toBeGreaterThanOrEqual(before);
    expect(up).toBeLessThanOrEqual(after);
  });

  it("counts the tick's own table, and keeps a minute of history per meter", async () => {
    const source = new ProcSource();
    const m = new ProcMeters('/proc', 3);
    meters.push(m);
    let last = null;
    let rows = await source.sample();
    for (let i = 0; i < 5; i++) {
      rows = await source.sample();
      last = m.read(rows, Date.now());
    }
    source.close();
    expect(last!.tasks.processes + last!.tasks.kernelThreads).toBe(rows.length);
    // This test's own process is running while it samples.
    expect(last!.tasks.running).toBeGreaterThanOrEqual(1);
    const { history, now } = m.current()!;
    expect(now).toBe(last);
    expect(history.cpuPct).toHaveLength(3);
    expect(history.corePct).toHaveLength(now.cores.length);
    expect(history.corePct.every((core) => core.length === 3)).toBe(true);
    expect(history.memUsedPct.at(-1)).toBeCloseTo((now.memory.usedBytes / now.memory.totalBytes) * 100, 0);
    expect(history.load1.at(-1)).toBe(now.load[0]);
  });

  it("rides on the monitor's delta, read in the same tick as the table, and comes whole in the snapshot", async () => {
    const monitor = new Monitor({ source: new ProcSource() });
    const first = (await monitor.tick())!;
    const second = (await monitor.tick())!;
    const snapshot = monitor.snapshot();
    monitor.stop();
    // The delta carries the sample packed; unpacked with the delta's time it is the snapshot's own.
    const sample = unpackSample(second.system!, second.at);
    expect(sample.tasks.processes + sample.tasks.kernelThreads).toBe(snapshot.rows.length);
    expect(snapshot.system!.now).toEqual(sample);
    expect(JSON.stringify(second.system).length).toBeLessThan(JSON.stringify(sample).length / 2);
    expect(snapshot.system!.history.cpuPct).toHaveLength(2);
    expect(first.system!.uptimeSec).toBeLessThanOrEqual(second.system!.uptimeSec);
    expect(new Monitor({ source: new ProcSource(), meters: null }).snapshot().system).toBeNull();
  });

  it('gives null, not an exception, when the files cannot be read', () => {
    const m = new ProcMeters('/nonexistent-proc');
    meters.push(m);
    expect(m.read([], Date.now())).toBeNull();
    expect(m.current()).toBeNull();
  });
});
