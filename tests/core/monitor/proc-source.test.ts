import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ProcSource } from '../../../electron/core/monitor';
import { cleanup, firstLine, fixture, sampleUntil, sleep, start, startReaped } from './helpers';

afterEach(cleanup);

describe('ProcSource (Linux /proc)', () => {
  it('shows a spawned family with the right ppids', async () => {
    const reaper = startReaped('sh', ['-c', 'sleep 30 & sleep 30']);
    const source = new ProcSource();
    const [shell, sleeps] = await sampleUntil(source, (rows) => {
      const top = rows.find((r) => r.ppid === reaper.pid);
      const below = top ? rows.filter((r) => r.ppid === top.pid) : [];
      // dash execs the last command in place, so `sh` itself may already be one of the sleeps.
      const family = top ? [top, ...below] : [];
      return family.filter((r) => r.name === 'sleep').length === 2 ? ([top!, below] as const) : undefined;
    });
    expect(shell.pgid).toBe(shell.pid);
    expect(sleeps.length).toBeGreaterThanOrEqual(1);
    for (const kid of sleeps) {
      expect(kid.ppid).toBe(shell.pid);
      expect(kid.cmd).toBe('sleep 30');
      expect(kid.pgid).toBe(shell.pid);
      expect(kid.user).not.toBe('');
      expect(kid.startedAt).toBeGreaterThanOrEqual(shell.startedAt);
      expect(Math.abs(kid.startedAt - Date.now())).toBeLessThan(10_000);
    }
    source.close();
  });

  it('parses a process whose comm is "a) b (c) d"', async () => {
    const renamed = start('python3', [fixture('renamed.py'), 'a) b (c) d']);
    await firstLine(renamed);
    const source = new ProcSource();
    const found = (await source.sample()).find((r) => r.pid === renamed.pid);
    expect(found).toMatchObject({ name: 'a) b (c) d', ppid: process.pid, state: 'S', threads: 1 });
    // python3 may run through a pyenv shim, so argv[0] can be a full path.
    expect(found?.cmd).toMatch(/python3 \S+renamed\.py a\) b \(c\) d$/);
    source.close();
  });

  it('counts threads from num_threads and does not list them as processes', async () => {
    const threaded = start('python3', [fixture('threads.py'), '4']);
    await firstLine(threaded);
    const rows = await new ProcSource().sample();
    expect(rows.find((r) => r.pid === threaded.pid)?.threads).toBe(5);
    const tids = readdirSync(`/proc/${threaded.pid}/task`).map(Number);
    expect(tids).toHaveLength(5);
    const listed = new Set(rows.map((r) => r.pid));
    expect(tids.filter((tid) => listed.has(tid))).toEqual([threaded.pid]);
  });

  it('measures a busy loop at ~100% of a core and sleep at ~0', async () => {
    const busy = start('python3', [fixture('busy.py')]);
    const idle = start('sleep', ['30']);
    const source = new ProcSource();
    await sampleUntil(source, (rows) => rows.find((r) => r.pid === busy.pid && r.name === 'python3'));
    await sleep(2000);
    const rows = await source.sample();
    const busyPct = rows.find((r) => r.pid === busy.pid)?.cpuPct ?? -1;
    const idlePct = rows.find((r) => r.pid === idle.pid)?.cpuPct ?? -1;
    // ±20 is the target; a second engineer's tests share these two cores.
    expect(busyPct).toBeGreaterThanOrEqual(80);
    expect(busyPct).toBeLessThanOrEqual(120);
    expect(idlePct).toBe(0);
    source.close();
  });

  it('keeps one fd per process, closes those of dead processes, and falls back past its cap', async () => {
    const kept = new ProcSource();
    const capped = new ProcSource({ maxKeptFds: 5 });
    const victim = start('sleep', ['30']);
    const before = await kept.sample();
    expect(before.some((r) => r.pid === victim.pid)).toBe(true);
    const fdsBefore = kept.openFds;
    expect(fdsBefore).toBe(before.length);

    victim.kill('SIGKILL');
    await new Promise((resolve) => victim.once('exit', resolve));
    const after = await kept.sample();
    expect(after.some((r) => r.pid === victim.pid)).toBe(false);
    expect(kept.openFds).toBe(after.length);

    const viaCap = await capped.sample();
    expect(capped.openFds).toBe(5);
    const stable = (rows: typeof after) =>
      new Map(rows.map((r) => [r.pid, `${r.ppid} ${r.name} ${r.cmd} ${r.startedAt}`]));
    const direct = stable(await kept.sample());
    const fallback = stable(viaCap);
    const both = [...direct.keys()].filter((pid) => fallback.has(pid));
    expect(both.length).toBeGreaterThan(direct.size * 0.9);
    for (const pid of both) expect(fallback.get(pid)).toBe(direct.get(pid));

    kept.close();
    capped.close();
    expect(kept.openFds).toBe(0);
    expect(capped.openFds).toBe(0);
  });

  it('yields to the event loop in slices while it samples', async () => {
    const source = new ProcSource({ budgetMs: 0 });
    // A chain of setImmediate turns only when the sample gives the loop back; a sample done in one
    // synchronous run leaves it at 0.
    let turns = 0;
    let spinning = true;
    const spin = () => {
      turns++;
      if (spinning) setImmediate(spin);
    };
    setImmediate(spin);
    await source.sample();
    spinning = false;
    source.close();
    expect(turns).toBeGreaterThan(1);
  });
});
