import { describe, expect, it } from 'vitest';
import { buildForest, descendants } from '../../../electron/core/monitor';
import { row } from './helpers';

describe('buildForest', () => {
  it('links rows by ppid and orders parents before children', () => {
    const forest = buildForest([row(30, 10), row(1, 0), row(10, 1), row(20, 1), row(11, 10)]);
    expect(forest.roots).toEqual([1]);
    expect(forest.children.get(1)).toEqual([10, 20]);
    expect(forest.children.get(10)).toEqual([11, 30]);
    expect(forest.order.map((r) => r.pid)).toEqual([1, 10, 11, 30, 20]);
    expect(descendants(forest, 10).sort()).toEqual([11, 30]);
  });

  it('makes a row whose parent is missing, itself, or younger than it (a reused pid) a root', () => {
    const forest = buildForest([
      row(5, 99),
      row(6, 6),
      row(7, 8, { startedAt: 1000 }),
      row(8, 1, { startedAt: 2000 }),
      row(1, 0, { startedAt: 500 }),
    ]);
    expect(forest.roots).toEqual([1, 5, 6, 7]);
    expect(forest.children.get(1)).toEqual([8]);
    expect(forest.children.get(8)).toBeUndefined();
  });

  it('cuts a cycle at its lowest pid so every row is reached once', () => {
    const forest = buildForest([row(4, 2), row(2, 3), row(3, 4), row(9, 3)]);
    expect(forest.roots).toEqual([2]);
    expect(forest.order.map((r) => r.pid)).toEqual([2, 4, 3, 9]);
  });
});
