import { describe, expect, it } from 'vitest';
import { History } from '../../../electron/core/monitor/history';
import { row } from './helpers';

describe('History', () => {
  it('keeps the newest samples per process, oldest first', () => {
    const history = new History(3);
    for (const cpuPct of [1.1, 2.2, 3.3, 4.4])
      history.record([row(7, 1, { cpuPct, rssBytes: cpuPct * 10 * 4096 })]);
    expect(history.get(7, 1000)).toEqual({
      pid: 7,
      intervalMs: 1000,
      cpuPct: [2.2, 3.3, 4.4],
      rssBytes: [22 * 4096, 33 * 4096, 44 * 4096],
    });
    expect(history.get(8, 1000)).toBeNull();
  });

  it('starts over when the pid comes back with another start time', () => {
    const history = new History(5);
    history.record([row(7, 1, { cpuPct: 50 })]);
    history.record([row(7, 1, { cpuPct: 60 })]);
    history.record([row(7, 1, { cpuPct: 1, startedAt: 9999 })]);
    expect(history.get(7, 1000)?.cpuPct).toEqual([1]);
  });

  it('drops a gone process once it has been gone for longer than the ring', () => {
    const history = new History(3);
    history.record([row(7, 1), row(8, 1)]);
    for (let i = 0; i < 3; i++) history.record([row(8, 1)]);
    expect(history.get(7, 1000)?.cpuPct).toHaveLength(1);
    history.record([row(8, 1)]);
    expect(history.get(7, 1000)).toBeNull();
    expect(history.size).toBe(1);
  });

  it('resizes keeping the newest samples', () => {
    const history = new History(4);
    for (const cpuPct of [1, 2, 3, 4, 5]) history.record([row(7, 1, { cpuPct })]);
    history.resize(2);
    expect(history.get(7, 1000)?.cpuPct).toEqual([4, 5]);
    history.resize(3);
    history.record([row(7, 1, { cpuPct: 6 })]);
    history.record([row(7, 1, { cpuPct: 7 })]);
    expect(history.get(7, 1000)?.cpuPct).toEqual([5, 6, 7]);
  });

  it('keeps every ring apart as the slab grows past its first slots and shrinks back', () => {
    const history = new History(3);
    const many = Array.from({ length: 300 }, (_, i) => 100 + i);
    for (const tick of [1, 2])
      history.record(many.map((pid) => row(pid, 1, { cpuPct: tick, rssBytes: pid * 1024 })));
    expect(history.size).toBe(300);
    expect(history.get(399, 1000)).toEqual({
      pid: 399,
      intervalMs: 1000,
      cpuPct: [1, 2],
      rssBytes: [399 * 1024, 399 * 1024],
    });
    // All but two go; once they have been gone a ring's length, the slab gives their slots back.
    for (let tick = 3; tick <= 7; tick++)
      history.record([row(100, 1, { cpuPct: tick }), row(250, 1, { cpuPct: tick * 10 })]);
    expect(history.size).toBe(2);
    expect(history.get(100, 1000)?.cpuPct).toEqual([5, 6, 7]);
    expect(history.get(250, 1000)?.cpuPct).toEqual([50, 60, 70]);
    // A newcomer takes a freed slot and starts empty, not with what the slot held before.
    history.record([row(9999, 1, { cpuPct: 42 })]);
    expect(history.get(9999, 1000)?.cpuPct).toEqual([42]);
    expect(history.get(100, 1000)?.cpuPct).toEqual([5, 6, 7]);
  });
});
