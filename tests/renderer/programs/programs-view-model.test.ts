// The Programs view's pure parts: the DAG's layout, same-named children told apart, and a Start dialog
// spec written as a stack file program (which the real stack loader then accepts).
import { describe, expect, it } from 'vitest';
import { parseStack } from '../../../electron/core/programs/load';
import { layoutDag, NODE_H, NODE_W } from '../../../renderer/src/components/programs/dag-layout';
import { distinctNames, nameForNew } from '../../../renderer/src/model/child-names';
import { programFromSpec } from '../../../renderer/src/model/program-from-spec';
import { stringify } from 'yaml';

describe('layoutDag', () => {
  it('puts every program in a column after all it depends on, with one labelled edge per dependency', () => {
    const layout = layoutDag([
      {
        name: 'web',
        dependsOn: [
          { name: 'db', condition: 'healthy' },
          { name: 'migrate', condition: 'completed_successfully' },
        ],
      },
      { name: 'db', dependsOn: [] },
      { name: 'migrate', dependsOn: [{ name: 'db', condition: 'healthy' }] },
      { name: 'cache', dependsOn: [] },
    ]);
    const column = Object.fromEntries(layout.nodes.map((n) => [n.name, n.column]));
    expect(column).toEqual({ db: 0, cache: 0, migrate: 1, web: 2 });
    expect(layout.edges.map((e) => `${e.from}>${e.to}:${e.condition}`).sort()).toEqual([
      'db>migrate:healthy',
      'db>web:healthy',
      'migrate>web:completed_successfully',
    ]);
    // No two boxes overlap, and every box is inside the drawing.
    for (const a of layout.nodes) {
      expect(a.x + NODE_W).toBeLessThanOrEqual(layout.width);
      for (const b of layout.nodes) if (a !== b && a.column === b.column) expect(a.y).not.toBe(b.y);
    }
    // Each label sits between the columns of its two ends.
    const byName = new Map(layout.nodes.map((n) => [n.name, n]));
    for (const edge of layout.edges) {
      expect(edge.labelX).toBeGreaterThan(byName.get(edge.from)!.x + NODE_W);
      expect(edge.labelX).toBeLessThan(byName.get(edge.to)!.x);
    }
  });

  it('ignores a dependency it does not know and survives a cycle', () => {
    const layout = layoutDag([
      {
        name: 'a',
        dependsOn: [
          { name: 'b', condition: 'started' },
          { name: 'ghost', condition: 'started' },
        ],
      },
      { name: 'b', dependsOn: [{ name: 'a', condition: 'started' }] },
    ]);
    expect(layout.nodes).toHaveLength(2);
    expect(layout.edges.every((e) => e.from !== 'ghost')).toBe(true);
  });
});

describe('distinctNames', () => {
  it('keeps the first name and numbers the later ones in start order', () => {
    const names = distinctNames([
      { id: 'c10', name: 'ticker' },
      { id: 'c2', name: 'ticker' },
      { id: 'c3', name: 'pool' },
      { id: 'c4', name: 'ticker' },
    ]);
    expect(Object.fromEntries(names)).toEqual({
      c2: 'ticker',
      c4: 'ticker #2',
      c10: 'ticker #3',
      c3: 'pool',
    });
    expect(nameForNew([{ name: 'ticker' }, { name: 'pool' }], 'ticker')).toBe('ticker #2');
    expect(nameForNew([{ name: 'pool' }], 'ticker')).toBeNull();
  });
});

describe('programFromSpec', () => {
  it('writes what the dialog set in the stack file’s keys, and the loader takes it', () => {
    const { name, program } = programFromSpec({
      command: '/usr/bin/python3',
      args: ['-m', 'http.server', '8000'],
      cwd: '/tmp',
      env: { PORT: '8000' },
      daemon: true,
      restart: { policy: 'always', maxRetries: 3, backoffMs: 500, maxBackoffMs: 4000 },
      graceMs: 2000,
    });
    expect(name).toBe('python3');
    expect(program).toEqual({
      command: ['/usr/bin/python3', '-m', 'http.server', '8000'],
      cwd: '/tmp',
      env: { PORT: '8000' },
      daemon: true,
      restart: { policy: 'always', max_restarts: 3, backoff: 500, max_backoff: 4000 },
      stop: { grace: 2000 },
    });
    const loaded = parseStack(stringify({ programs: { [name]: program } }), '/tmp/proctor.yaml');
    expect(loaded.ok).toBe(true);
  });

  it('makes a program name of a name with spaces', () => {
    expect(programFromSpec({ command: 'sleep', args: [], name: 'my worker 2' }).name).toBe('my-worker-2');
  });
});

/** Three in a row, and web also waits for db directly: a long edge and two edges meeting at web. */
const THREE_IN_A_ROW = [
  { name: 'db', dependsOn: [] },
  { name: 'worker', dependsOn: [{ name: 'db', condition: 'healthy' as const }] },
  {
    name: 'web',
    dependsOn: [
      { name: 'db', condition: 'healthy' as const },
      { name: 'worker', condition: 'started' as const },
    ],
  },
];

describe('layoutDag edges and labels', () => {
  it('routes an edge that skips a column through a free lane there, never through a box', () => {
    const layout = layoutDag(THREE_IN_A_ROW);
    const skipped = layout.nodes.filter((n) => n.column === 1);
    const long = layout.edges.find((e) => e.from === 'db' && e.to === 'web')!;
    // Its straight line would go through worker. Where it crosses that column it is level ("L x,y"), and
    // clear of every box there.
    const crossings = [...long.path.matchAll(/L([\d.]+),([\d.]+)/g)].map((m) => Number(m[2]));
    expect(crossings).toHaveLength(1);
    for (const box of skipped) {
      expect(crossings[0]! <= box.y || crossings[0]! >= box.y + NODE_H, `clear of ${box.name}`).toBe(true);
    }
  });

  it('never overlaps two conditions on edges that meet at one box', () => {
    const [a, b] = layoutDag(THREE_IN_A_ROW).edges.filter((e) => e.to === 'web');
    expect(Math.abs(a!.labelY - b!.labelY)).toBeGreaterThanOrEqual(13);
  });
});
