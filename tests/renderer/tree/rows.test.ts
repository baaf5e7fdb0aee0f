// The tree the window shows, from a process table: folding, ghosts, filters, focus and sibling order.
import { describe, expect, it } from 'vitest';
import type { ChildInfo, Ghost, TreeRow } from '../../../shared/model';
import { exitedNode, ghostNode } from '../../../renderer/src/tree/node-id';
import {
  matchedField,
  matchesQuery,
  rows,
  sameOrNext,
  type TreeOptions,
} from '../../../renderer/src/tree/rows';
import { buildShape, sortedShape, type SortOrder, type Table } from '../../../renderer/src/tree/shape';

function row(pid: number, ppid: number, name: string, extra: Partial<TreeRow> = {}): TreeRow {
  return {
    pid,
    ppid,
    name,
    cmd: name,
    state: 'S',
    threads: 1,
    rssBytes: 1000 * pid,
    cpuPct: 0,
    uid: 0,
    user: 'root',
    startedAt: pid,
    pgid: pid,
    marks: {},
    ...extra,
  };
}

/**
 *   1 init
 *   ├─ 10 proctor
 *   │   └─ 11 proctor-guard (guard: folded)
 *   │       └─ 12 python3 (supervised)
 *   │           ├─ 14 worker-b
 *   │           └─ 13 worker-a
 *   ├─ 20 ghost of a dead parent (pid 20, child of 12 once)
 *   │   └─ 21 orphan
 *   └─ 30 bash
 */
function machine(): Table {
  const rows = [
    row(1, 0, 'init'),
    row(10, 1, 'proctor'),
    row(11, 10, 'proctor-guard', { marks: { guard: true } }),
    row(12, 11, 'python3', {
      marks: { supervised: { childId: 'c1', name: 'lesson', daemon: false } },
      cpuPct: 5,
    }),
    row(14, 12, 'worker-b', { marks: { family: 'c1' }, cpuPct: 50 }),
    row(13, 12, 'worker-a', { marks: { family: 'c1' }, cpuPct: 10 }),
    row(21, 11, 'orphan', { marks: { family: 'c1', orphan: { ghostPid: 20 } } }),
    row(30, 1, 'bash', { user: 'alice' }),
  ];
  const ghosts: Ghost[] = [{ pid: 20, ppid: 12, name: 'dead-parent', cmd: 'python3 dead', diedAt: 0 }];
  return {
    rows: new Map(rows.map((r) => [r.pid, r])),
    ghosts: new Map(ghosts.map((g) => [g.pid, g])),
    exited: new Map(),
  };
}

/** The same machine, where supervised child c2 (`sleep 30`, pid 40) ran under proctor and was terminated. */
function withExitedChild(): Table {
  const child: ChildInfo = {
    id: 'c2',
    name: 'sleeper',
    pid: 40,
    guardPid: 39,
    daemon: false,
    state: 'exited',
    exitcode: -15,
    error: null,
    spec: { command: 'sleep', args: ['30'] },
    startedAt: 0,
    exitedAt: 1,
    restarts: 0,
    history: [],
    droppedLines: 0,
  };
  return { ...machine(), exited: new Map([[exitedNode(0), { child, parent: 10 }]]) };
}

const bySort: SortOrder = { key: 'pid', descending: false };
const options = (extra: Partial<TreeOptions> = {}): TreeOptions => ({
  tree: true,
  collapsed: new Set(),
  filter: '',
  supervisedOnly: false,
  focus: null,
  sort: bySort,
  hideKernelThreads: false,
  user: null,
  ...extra,
});

function view(table: Table, opts: TreeOptions): string[] {
  const shape = sortedShape(buildShape(table), table, opts.sort);
  return rows({ shape, table, options: opts }).map(
    (v) =>
      `${'  '.repeat(v.depth)}${v.row?.name ?? (v.ghost ? `ghost:${v.ghost.name}` : `exited:${v.exited!.name}`)}`,
  );
}

describe('tree model', () => {
  it('a row rebuilt unchanged after a process started elsewhere keeps its object; a changed one does not', () => {
    const table = machine();
    const shape = () => sortedShape(buildShape(table), table, bySort);
    const before = rows({ shape: shape(), table, options: options() });
    (table.rows as Map<number, TreeRow>).set(50, row(50, 30, 'vim'));
    const after = rows({ shape: shape(), table, options: options() });
    const kept = (id: number) => {
      const next = after.find((v) => v.id === id)!;
      return (
        sameOrNext(
          before.find((v) => v.id === id),
          next,
        ) !== next
      );
    };
    expect(kept(12)).toBe(true);
    // bash now has a child: its twisty changes, so its row must repaint.
    expect(kept(30)).toBe(false);
    expect(sameOrNext(undefined, after[0]!)).toBe(after[0]);
  });

  it('a fold counts every node it hides, at any depth; an open node hides none', () => {
    const table = machine();
    const opts = options({ collapsed: new Set([10, 1]) });
    const shape = sortedShape(buildShape(table), table, opts.sort);
    const [init] = rows({ shape, table, options: opts });
    // proctor, python3, two workers, the ghost, its orphan, bash: the guard is folded away, not hidden.
    expect(init).toMatchObject({ id: 1, expanded: false, hidden: 7 });
    const open = rows({ shape, table, options: options({ collapsed: new Set([10]) }) });
    expect(open.find((v) => v.id === 1)!.hidden).toBe(0);
    expect(open.find((v) => v.id === 10)).toMatchObject({ expanded: false, hidden: 5 });
  });

  it("a hit names the field it matched: pid exactly, else name (a supervised child's too), user, command line", () => {
    const table = machine();
    expect(matchedField(30, '30', table)).toBe('pid');
    expect(matchedField(30, 'bas', table)).toBe('name');
    expect(matchedField(30, 'alic', table)).toBe('user');
    expect(matchedField(ghostNode(20), 'dead', table)).toBe('name');
    expect(matchedField(ghostNode(20), 'python3 d', table)).toBe('cmd');
    expect(matchedField(30, 'zzz', table)).toBeNull();
    // The supervised python3 shows as "lesson", the name it was started under: that finds it.
    expect(matchedField(12, 'lesso', table)).toBe('name');
  });

  it('folds the guard away and hangs the orphan under the ghost of its dead parent', () => {
    expect(view(machine(), options())).toEqual([
      'init',
      '  proctor',
      '    python3',
      '      worker-a',
      '      worker-b',
      '      ghost:dead-parent',
      '        orphan',
      '  bash',
    ]);
  });

  it('sorts siblings within the tree by any column', () => {
    const opts = options({ sort: { key: 'cpuPct', descending: true } });
    const lines = view(machine(), opts);
    expect(lines.indexOf('      worker-b')).toBeLessThan(lines.indexOf('      worker-a'));
    expect(lines[0]).toBe('init');
  });

  it('filter keeps the matches and their ancestors only', () => {
    expect(view(machine(), options({ filter: 'worker-a' }))).toEqual([
      'init',
      '  proctor',
      '    python3',
      '      worker-a',
    ]);
    expect(view(machine(), options({ filter: 'alice' }))).toEqual(['init', '  bash']);
    expect(view(machine(), options({ filter: '13' }))).toEqual([
      'init',
      '  proctor',
      '    python3',
      '      worker-a',
    ]);
  });

  it('supervised only keeps the supervised families, ghosts and orphans included', () => {
    expect(view(machine(), options({ supervisedOnly: true }))).toEqual([
      'python3',
      '  worker-a',
      '  worker-b',
      '  ghost:dead-parent',
      '    orphan',
    ]);
  });

  it('focus shows one subtree; collapsing hides its children', () => {
    expect(view(machine(), options({ focus: ghostNode(20) }))).toEqual(['ghost:dead-parent', '  orphan']);
    expect(view(machine(), options({ collapsed: new Set([12]) }))).toEqual([
      'init',
      '  proctor',
      '    python3',
      '  bash',
    ]);
  });

  it('a flat list drops the nesting and sorts everything together', () => {
    const lines = view(machine(), options({ tree: false, sort: { key: 'name', descending: false } }));
    expect(lines).toEqual([
      'bash',
      'ghost:dead-parent',
      'init',
      'orphan',
      'proctor',
      'python3',
      'worker-a',
      'worker-b',
    ]);
  });

  it('an exited supervised child stays where it ran, after the live children, and is found by what it ran', () => {
    const table = withExitedChild();
    expect(view(table, options())).toEqual([
      'init',
      '  proctor',
      '    python3',
      '      worker-a',
      '      worker-b',
      '      ghost:dead-parent',
      '        orphan',
      '    exited:sleeper',
      '  bash',
    ]);
    expect(view(table, options({ supervisedOnly: true })).filter((line) => !line.startsWith(' '))).toEqual([
      'python3',
      'exited:sleeper',
    ]);
    expect(view(table, options({ filter: 'sleep 30' }))).toEqual(['init', '  proctor', '    exited:sleeper']);
    expect(matchesQuery(exitedNode(0), '40', table)).toBe(true);
    // Without the process it ran under (Proctor's pid unknown yet), it is a root rather than lost.
    const homeless = {
      ...table,
      exited: new Map([[exitedNode(0), { ...table.exited.get(exitedNode(0))!, parent: null }]]),
    };
    expect(view(homeless, options()).at(-1)).toBe('exited:sleeper');
  });

  it('sorting returns a new order and leaves the shape it sorted as it was', () => {
    const table = machine();
    const shape = buildShape(table);
    const before = [...shape.childrenOf].map(([parent, siblings]) => [parent, [...siblings]]);
    const byCpu = sortedShape(shape, table, { key: 'cpuPct', descending: true });
    expect([...shape.childrenOf].map(([parent, siblings]) => [parent, [...siblings]])).toEqual(before);
    expect(byCpu.childrenOf.get(12)).toEqual([14, 13, ghostNode(20)]);
    expect(byCpu.parentOf).toBe(shape.parentOf);
  });
});

describe('views (issue 19)', () => {
  /** The machine with kthreadd (2) and two kernel threads under it, and bash holding port 8080. */
  function withKernel(): Table {
    const table = machine();
    const rows = new Map(table.rows);
    for (const r of [row(2, 0, 'kthreadd', { cmd: '' }), row(3, 2, 'kworker/0:0', { cmd: '' })])
      rows.set(r.pid, r);
    rows.get(30)!.ports = 'tcp:8080 tcp6:8080';
    rows.get(13)!.ports = 'tcp:18080';
    return { ...table, rows };
  }

  it('hides kthreadd and every kernel thread under it, in the tree and flat, and from the filter', () => {
    expect(view(withKernel(), options())).toContain('  kworker/0:0');
    const hidden = view(withKernel(), options({ hideKernelThreads: true }));
    expect(hidden.some((line) => /kthreadd|kworker/.test(line))).toBe(false);
    expect(hidden).toContain('  bash');
    expect(view(withKernel(), options({ hideKernelThreads: true, tree: false }))).not.toContain(
      'kworker/0:0',
    );
    expect(view(withKernel(), options({ hideKernelThreads: true, filter: 'kworker' }))).toEqual([]);
  });

  it("shows one user's processes with the ancestors that lead to them", () => {
    expect(view(withKernel(), options({ user: 'alice' }))).toEqual(['init', '  bash']);
    expect(view(withKernel(), options({ user: 'nobody' }))).toEqual([]);
  });

  it('finds who holds a port with `:PORT`, and only an exact port', () => {
    const table = withKernel();
    expect(matchesQuery(30, ':8080', table)).toBe(true);
    expect(matchesQuery(13, ':8080', table)).toBe(false);
    expect(matchesQuery(13, ':18080', table)).toBe(true);
    expect(view(table, options({ filter: ':8080' }))).toEqual(['init', '  bash']);
  });
});
