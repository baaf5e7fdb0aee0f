import { describe, expect, it } from 'vitest';
import type { TreeRow } from '../../../shared/model';
import { diffRows, OPTIONAL_FIELDS } from '../../../electron/core/monitor/delta';
import { row } from './helpers';

const tree = (pid: number, ppid: number, extra: Partial<TreeRow> = {}): TreeRow => ({
  ...row(pid, ppid),
  marks: {},
  ...extra,
});
const index = (rows: TreeRow[]) => new Map(rows.map((r) => [r.pid, r]));
const diff = (before: TreeRow[], after: TreeRow[]) => diffRows(index(before), after, index(after));

describe('diffRows', () => {
  it('is empty when nothing changed, even for fresh but equal objects', () => {
    const before = [tree(1, 0), tree(2, 1, { marks: { orphan: { ghostPid: 9 } } })];
    const after = [tree(1, 0), tree(2, 1, { marks: { orphan: { ghostPid: 9 } } })];
    expect(diff(before, after)).toEqual({ added: [], changed: [], removed: [] });
  });

  it('carries only the changed fields of a changed row', () => {
    const after = [tree(1, 0, { cpuPct: 12.5, state: 'R' }), tree(2, 1, { marks: { zombie: true } })];
    const delta = diff([tree(1, 0), tree(2, 1)], after);
    expect(delta.changed).toEqual([
      { pid: 1, cpuPct: 12.5, state: 'R' },
      { pid: 2, marks: { zombie: true } },
    ]);
  });

  it('carries each field changed alone, and an optional field set or no longer read', () => {
    const base = tree(2, 1);
    const core = Object.keys(base).filter((key) => !['pid', 'startedAt', 'marks'].includes(key));
    for (const key of [...core, ...OPTIONAL_FIELDS] as Array<keyof TreeRow>) {
      const value = key === 'unreadable' ? 'EACCES' : typeof base[key] === 'string' ? 'other' : 77;
      const changed = tree(2, 1, { [key]: value });
      expect(diff([base], [changed]).changed, key).toEqual([{ pid: 2, [key]: value }]);
      if ((OPTIONAL_FIELDS as readonly string[]).includes(key))
        expect(diff([changed], [base]).changed, key).toEqual([{ pid: 2, [key]: null }]);
    }
  });

  it('lists added and removed pids, and a reused pid as removed and added', () => {
    const before = [tree(1, 0), tree(2, 1), tree(3, 1)];
    const reused = tree(3, 1, { startedAt: 5000, name: 'new' });
    const delta = diff(before, [tree(1, 0), reused, tree(4, 1)]);
    expect(delta.added).toEqual([reused, tree(4, 1)]);
    expect(delta.removed.sort()).toEqual([2, 3]);
    expect(delta.changed).toEqual([]);
  });
});
