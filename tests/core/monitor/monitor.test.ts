import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessRow, TreeDelta } from '../../../shared/model';
import {
  Monitor,
  type ProcessSource,
  type SupervisedInfo,
  type Watched,
} from '../../../electron/core/monitor';
import { row, sleep } from './helpers';

/** A source serving a scripted table, optionally slow or burning a set amount of CPU per sample. */
class FakeSource implements ProcessSource {
  readonly name = 'fake';
  samples = 0;
  active = 0;
  maxActive = 0;
  closed = 0;
  delayMs = 0;
  burnCpuMs = 0;
  fail = false;
  watched: Watched | null = null;

  constructor(public rows: ProcessRow[] = [row(1, 0), row(2, 1)]) {}

  async sample(): Promise<ProcessRow[]> {
    this.samples++;
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      if (this.delayMs) await sleep(this.delayMs);
      const from = process.cpuUsage();
      while (this.burnCpuMs > 0) {
        const used = process.cpuUsage(from);
        if ((used.user + used.system) / 1000 >= this.burnCpuMs) break;
      }
      if (this.fail) throw new Error('source broke');
      return this.rows.map((r) => ({ ...r }));
    } finally {
      this.active--;
    }
  }

  watch(watched: Watched): void {
    this.watched = watched;
  }

  close(): void {
    this.closed++;
  }
}

const monitors: Monitor[] = [];
function monitorOf(source: FakeSource, intervalMs = 250): Monitor {
  const monitor = new Monitor({ source, intervalMs });
  monitors.push(monitor);
  return monitor;
}
afterEach(() => monitors.splice(0).forEach((m) => m.stop()));

describe('Monitor', () => {
  it('sends every row first, then only what changed', async () => {
    const source = new FakeSource();
    const monitor = monitorOf(source);
    const deltas: TreeDelta[] = [];
    monitor.on('delta', (d: TreeDelta) => deltas.push(d));

    const first = await monitor.tick();
    expect(first?.added.map((r) => r.pid)).toEqual([1, 2]);
    expect(await monitor.tick()).toMatchObject({ seq: 2, added: [], changed: [], removed: [] });

    source.rows = [row(1, 0, { cpuPct: 3.5 }), row(3, 1)];
    const third = await monitor.tick();
    expect(third).toMatchObject({ seq: 3, changed: [{ pid: 1, cpuPct: 3.5 }], removed: [2] });
    expect(third?.added.map((r) => r.pid)).toEqual([3]);
    expect(deltas.map((d) => d.seq)).toEqual([1, 2, 3]);
    expect(monitor.snapshot()).toMatchObject({ seq: 3, stats: { processCount: 2 } });
  });

  it('gives the snapshot parents before children', async () => {
    const monitor = monitorOf(new FakeSource([row(9, 4), row(4, 1), row(1, 0), row(2, 1)]));
    await monitor.tick();
    expect(monitor.snapshot().rows.map((r) => r.pid)).toEqual([1, 2, 4, 9]);
  });

  it('runs one tick at a time: a second call while one runs returns null', async () => {
    const source = new FakeSource();
    source.delayMs = 100;
    const monitor = monitorOf(source);
    const [a, b] = await Promise.all([monitor.tick(), monitor.tick()]);
    expect(a).not.toBeNull();
    expect(b).toBeNull();
    expect(source.samples).toBe(1);
  });

  it('skips the beats a slow tick overran instead of piling them up', async () => {
    const source = new FakeSource();
    source.delayMs = 300;
    const monitor = monitorOf(source, 250);
    const starts: number[] = [];
    const origin = performance.now();
    const sample = source.sample.bind(source);
    source.sample = () => {
      starts.push(performance.now() - origin);
      return sample();
    };
    monitor.start();
    await sleep(1400);
    monitor.stop();
    expect(source.maxActive).toBe(1);
    // On the 250 ms grid a 300 ms tick starts at 0, 500, 1000: never two beats in a row.
    expect(starts.length).toBeGreaterThanOrEqual(2);
    expect(starts.length).toBeLessThanOrEqual(3);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(450);
  });

  it('pauses and resumes the loop', async () => {
    const source = new FakeSource();
    const monitor = monitorOf(source, 250);
    monitor.start();
    await sleep(600);
    monitor.pause();
    expect(monitor.stats().paused).toBe(true);
    const atPause = source.samples;
    expect(atPause).toBeGreaterThanOrEqual(2);
    await sleep(600);
    expect(source.samples).toBe(atPause);
    monitor.resume();
    await sleep(400);
    expect(source.samples).toBeGreaterThan(atPause);
    expect(monitor.stats().paused).toBe(false);
  });

  it('keeps going after a failing tick, reporting it only to an error listener', async () => {
    const source = new FakeSource();
    source.fail = true;
    const monitor = monitorOf(source, 250);
    monitor.start();
    await sleep(400);
    const errors: unknown[] = [];
    monitor.on('error', (e) => errors.push(e));
    await sleep(400);
    source.fail = false;
    await sleep(400);
    expect(errors.length).toBeGreaterThan(0);
    expect(monitor.snapshot().rows).toHaveLength(2);
  });

  it('clamps the interval to 250..10000 and the history to 10..3600', async () => {
    const monitor = monitorOf(new FakeSource(), 5);
    expect(monitor.stats().intervalMs).toBe(250);
    monitor.setIntervalMs(60_000);
    expect(monitor.stats().intervalMs).toBe(10_000);
    monitor.setHistoryLength(1);
    for (let i = 0; i < 12; i++) await monitor.tick();
    expect(monitor.history(1)?.cpuPct).toHaveLength(10);
  });

  it('samples at the fastest lease while one is held, whatever the user sets meanwhile', async () => {
    const source = new FakeSource();
    const monitor = monitorOf(source, 5000);
    monitor.start();
    await sleep(50);
    const release = monitor.leaseInterval(250);
    expect(monitor.stats().intervalMs).toBe(250);
    // The user's setting moves while the lease is held: the lease keeps the pace.
    monitor.setIntervalMs(2000);
    expect(monitor.stats().intervalMs).toBe(250);
    const before = source.samples;
    await sleep(1100);
    expect(source.samples - before).toBeGreaterThanOrEqual(3);
    release();
    expect(monitor.stats().intervalMs).toBe(2000);
    release();
    expect(monitor.stats().intervalMs).toBe(2000);
    // Nothing faster than the user's interval is leased any more: no tick for the next second.
    await sleep(50);
    const after = source.samples;
    await sleep(1000);
    expect(source.samples).toBe(after);
  });

  it('resets a pid’s history when the pid is reused', async () => {
    const source = new FakeSource([row(1, 0), row(7, 1, { cpuPct: 40 })]);
    const monitor = monitorOf(source);
    await monitor.tick();
    await monitor.tick();
    expect(monitor.history(7)?.cpuPct).toEqual([40, 40]);
    source.rows = [row(1, 0), row(7, 1, { cpuPct: 2, startedAt: 5000 })];
    const delta = await monitor.tick();
    expect(delta?.removed).toEqual([7]);
    expect(monitor.history(7)?.cpuPct).toEqual([2]);
  });

  it('measures its own CPU time as a share of one core', async () => {
    const source = new FakeSource();
    source.burnCpuMs = 20;
    const monitor = monitorOf(source, 250);
    for (let i = 0; i < 5; i++) await monitor.tick();
    // 5 ticks × 20 ms of CPU over 5 intervals of 250 ms = 8%, plus the tick's own small cost.
    expect(monitor.stats().selfCpuPct).toBeGreaterThanOrEqual(7.5);
    expect(monitor.stats().selfCpuPct).toBeLessThan(12);
  });

  it('lets the source release its fds on stop', () => {
    const source = new FakeSource();
    monitorOf(source).stop();
    expect(source.closed).toBe(1);
  });

  it('has the source watch the groups of the children it runs and of their guards, and the selected process, every tick', async () => {
    const source = new FakeSource();
    let children: SupervisedInfo[] = [{ childId: 'a', name: 'web', daemon: false, pid: 40, guardPid: 39 }];
    const monitor = new Monitor({ source, supervised: () => children, meters: null });
    monitors.push(monitor);
    await monitor.tick();
    expect([...source.watched!.groups].sort()).toEqual([39, 40]);
    expect(source.watched!.pid).toBeNull();
    children = [{ childId: 'a', name: 'web', daemon: false, pid: null, guardPid: null }];
    monitor.watch(7);
    await monitor.tick();
    expect(source.watched).toEqual({ groups: new Set(), pid: 7 });
  });

  it("keeps the last tick's rows of the supervised families apart, in tree order", async () => {
    // 1 ─ 10 (the guard) ─ 11 (the child) ─ 12; 2 is someone else's.
    const source = new FakeSource([row(1, 0), row(2, 1), row(10, 1), row(11, 10), row(12, 11)]);
    const children: SupervisedInfo[] = [{ childId: 'a', name: 'web', daemon: false, pid: 11, guardPid: 10 }];
    const monitor = new Monitor({ source, supervised: () => children, meters: null });
    monitors.push(monitor);
    await monitor.tick();
    expect(monitor.familyRows().map((r) => r.pid)).toEqual([11, 12]);
    expect(monitor.lastRows()).toHaveLength(5);
  });
});
