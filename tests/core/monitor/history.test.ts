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
});
