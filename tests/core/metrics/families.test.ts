import { describe, expect, it } from 'vitest';
import type { ProcessMarks, TreeRow } from '../../../shared/model';
import { FamilyMeter, type TickSource } from '../../../electron/core/metrics';
import type { ProcessUsage } from '../../../electron/core/monitor';
import { row } from '../monitor/helpers';

/** A hand-made tick: rows with marks, and each pid's counters. */
class Ticks implements TickSource {
  table: TreeRow[] = [];
  counters = new Map<number, ProcessUsage>();

  set(
    entries: Array<{ pid: number; marks: ProcessMarks; user: number; system?: number; startedAt?: number }>,
  ) {
    this.table = entries.map(({ pid, marks, startedAt }) => ({
      ...row(pid, 1, { threads: 2, rssBytes: 1000, startedAt: startedAt ?? 0 }),
      marks,
    }));
    this.counters = new Map(
      entries.map(({ pid, user, system }) => [
        pid,
        { userSeconds: user, systemSeconds: system ?? 0, virtualBytes: 5000 },
      ]),
    );
  }

  familyRows() {
    return this.table;
  }

  usage(pid: number) {
    return this.counters.get(pid);
  }
}

const program = (childId: string): ProcessMarks => ({
  supervised: { childId, name: childId, daemon: false },
});

describe('FamilyMeter', () => {
  it('adds up a family: the supervised child and the members marked with its id, no one else', () => {
    const ticks = new Ticks();
    ticks.set([
      { pid: 10, marks: program('c1'), user: 1, system: 0.5 },
      { pid: 11, marks: { family: 'c1' }, user: 2 },
      { pid: 12, marks: {}, user: 50 },
      { pid: 13, marks: { guard: true }, user: 50 },
    ]);
    const meter = new FamilyMeter(ticks);
    meter.record();
    expect(meter.get('c1')).toEqual({
      procs: 2,
      threads: 4,
      residentBytes: 2000,
      virtualBytes: 10_000,
      userSeconds: 3,
      systemSeconds: 0.5,
    });
    expect(meter.get('c2').procs).toBe(0);
  });

  it('keeps what an exited member spent, and counts a new member from its start', () => {
    const ticks = new Ticks();
    const meter = new FamilyMeter(ticks);
    ticks.set([
      { pid: 10, marks: program('c1'), user: 1 },
      { pid: 11, marks: { family: 'c1' }, user: 2 },
    ]);
    meter.record();
    ticks.set([
      { pid: 10, marks: program('c1'), user: 1.5 },
      { pid: 12, marks: { family: 'c1' }, user: 0.25 },
    ]);
    meter.record();
    // 3 before, +0.5 from the program, +0.25 from the newcomer; the exited member's 2 stay.
    expect(meter.get('c1')).toMatchObject({ procs: 2, userSeconds: 3.75 });
  });

  it('counts a reused pid as a new process, never as a counter going back', () => {
    const ticks = new Ticks();
    const meter = new FamilyMeter(ticks);
    ticks.set([{ pid: 10, marks: program('c1'), user: 5, startedAt: 100 }]);
    meter.record();
    ticks.set([{ pid: 10, marks: program('c1'), user: 1, startedAt: 200 }]);
    meter.record();
    expect(meter.get('c1').userSeconds).toBe(6);
  });

  it('shows an emptied family as zero processes and memory, with its CPU counters kept, until it is dropped', () => {
    const ticks = new Ticks();
    const meter = new FamilyMeter(ticks);
    ticks.set([{ pid: 10, marks: program('c1'), user: 4 }]);
    meter.record();
    ticks.set([]);
    meter.record();
    expect(meter.get('c1')).toMatchObject({ procs: 0, threads: 0, residentBytes: 0, userSeconds: 4 });
    meter.keepOnly(new Set(['c2']));
    expect(meter.get('c1').userSeconds).toBe(0);
  });
});
