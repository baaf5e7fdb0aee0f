import { afterEach, describe, expect, it } from 'vitest';
import type { TreeRow } from '../../../shared/model';
import { Monitor, ProcSource, type SupervisedInfo } from '../../../electron/core/monitor';
import { cleanup, firstLine, fixture, sleep, start, startReaped, untilRowGivenAgain } from './helpers';

afterEach(cleanup);

/** Ticks until `found` returns a value, or fails after `timeoutMs`. */
async function tickUntil<T>(
  monitor: Monitor,
  found: (rows: Map<number, TreeRow>) => T | undefined,
): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    await monitor.tick();
    const value = found(new Map(monitor.snapshot().rows.map((r) => [r.pid, r])));
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for the process table');
    await sleep(50);
  }
}

describe('marks on real processes', () => {
  it('marks and unmarks a sleeper whose row the source gives again, leaving the given row as it was', async () => {
    const pid = start('sleep', ['60']).pid!;
    let supervised: SupervisedInfo[] = [];
    const monitor = new Monitor({ source: new ProcSource(), meters: null, supervised: () => supervised });
    const idle = await untilRowGivenAgain(monitor, pid);
    supervised = [{ childId: 'c1', name: 'sleeper', daemon: false, pid, guardPid: null }];
    const marked = (await monitor.tick())!;
    expect(marked.changed.find((c) => c.pid === pid)?.marks).toEqual({
      supervised: { childId: 'c1', name: 'sleeper', daemon: false },
    });
    expect(idle.marks).toEqual({});
    supervised = [];
    const unmarked = (await monitor.tick())!;
    monitor.stop();
    expect(unmarked.changed.find((c) => c.pid === pid)?.marks).toEqual({});
    expect(monitor.lastRows().find((r) => r.pid === pid)).toBe(idle);
  });

  it('marks a child its parent never waited for as a zombie', async () => {
    const reaper = startReaped('python3', [fixture('zombie.py')]);
    const zombiePid = Number(await firstLine(reaper));
    const monitor = new Monitor();
    const zombie = await tickUntil(monitor, (rows) =>
      rows.get(zombiePid)?.state === 'Z' ? rows.get(zombiePid) : undefined,
    );
    expect(zombie.marks).toEqual({ zombie: true });
    expect(zombie.name).toMatch(/^python3/);
    monitor.stop();
  });

  it('marks a supervised family member whose parent exited as an orphan, with a ghost while it lives', async () => {
    const guard = startReaped('python3', [fixture('orphan.py')]);
    const [parentPid, orphanPid] = (await firstLine(guard)).split(' ').map(Number) as [number, number];
    const info: SupervisedInfo = {
      childId: 'c1',
      name: 'orphan maker',
      daemon: false,
      pid: parentPid,
      guardPid: guard.pid!,
    };
    const monitor = new Monitor({ supervised: () => [info] });

    const before = await tickUntil(monitor, (rows) => rows.get(orphanPid));
    expect(before.ppid).toBe(parentPid);
    expect(before.marks).toEqual({ family: 'c1' });
    const rows = new Map(monitor.snapshot().rows.map((r) => [r.pid, r]));
    expect(rows.get(parentPid)?.marks).toEqual({
      supervised: { childId: 'c1', name: 'orphan maker', daemon: false },
    });
    expect(rows.get(guard.pid!)?.marks).toEqual({ guard: true });

    guard.stdin!.write('\n');
    const orphan = await tickUntil(monitor, (rows) =>
      rows.get(orphanPid)?.ppid === guard.pid ? rows.get(orphanPid) : undefined,
    );
    expect(orphan.marks).toEqual({ family: 'c1', orphan: { ghostPid: parentPid } });
    const [ghost] = monitor.snapshot().ghosts;
    expect(ghost).toMatchObject({ pid: parentPid, ppid: guard.pid });
    expect(ghost?.name).toMatch(/^python3/);
    expect(ghost?.cmd).toContain('orphan.py');
    expect(Math.abs(ghost!.diedAt - Date.now())).toBeLessThan(5000);

    process.kill(orphanPid, 'SIGKILL');
    await tickUntil(monitor, (rows) => (rows.has(orphanPid) ? undefined : true));
    expect(monitor.snapshot().ghosts).toEqual([]);
    monitor.stop();
  });
});
