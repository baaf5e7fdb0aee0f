// The family view's layout: which IPC links run along the tree, which a hub tells in words on its
// peers, and when boxes need a third line.
import { describe, expect, it } from 'vitest';
import type { FamilyEdge, FamilyGraph } from '../../shared/model';
import { HUB_LINKS, layoutFamily, OBJECT_H, OBJECT_W } from '../../renderer/src/components/lessons/layout';

const node = (pid: number, ppid: number) => ({ pid, ppid, name: 'python3', cmd: 'python3', state: 'S' });
const edge = (from: number, to: number, kind: FamilyEdge['kind'], label?: string): FamilyEdge => ({
  from,
  to,
  kind,
  ...(label ? { label } : {}),
});

/** A Manager's family: main (1), its server (2) and workers 10.., each with a pipe from main and a socket to the server. */
function managerFamily(workers: number): FamilyGraph {
  const pids = Array.from({ length: workers }, (_, i) => 10 + i);
  return {
    childId: 'c1',
    nodes: [node(1, 0), node(2, 1), ...pids.map((pid) => node(pid, 1))],
    edges: [
      edge(1, 2, 'parent'),
      edge(1, 2, 'pipe', 'pipe:[100]'),
      ...pids.flatMap((pid) => [
        edge(1, pid, 'parent'),
        edge(1, pid, 'pipe', `pipe:[${pid}]`),
        edge(pid, 2, 'socket', `socket:[${pid}]`),
      ]),
      // Two workers talk over a Pipe of their own.
      edge(10, 11, 'pipe', 'pipe:[999]'),
    ],
    objects: [],
    roles: {},
  };
}

describe('family layout routes', () => {
  it('runs parent↔child links along the tree, a hub’s links as words, and the rest as lines', () => {
    const { links } = layoutFamily(managerFamily(HUB_LINKS + 2), 3);
    const route = (a: number, b: number, kind: string) =>
      links.find((l) => l.kind === kind && l.a === Math.min(a, b) && l.b === Math.max(a, b));

    expect(route(1, 2, 'pipe')).toMatchObject({ route: 'tree', anchor: 1 });
    expect(route(1, 12, 'pipe')).toMatchObject({ route: 'tree', anchor: 1 });
    expect(route(2, 12, 'socket')).toMatchObject({ route: 'hub', anchor: 2 });
    expect(route(10, 11, 'pipe')).toMatchObject({ route: 'free' });
    expect(route(10, 11, 'pipe')?.anchor).toBeUndefined();
    expect(links.filter((l) => l.route === 'hub')).toHaveLength(HUB_LINKS + 2);
  });

  it('draws a server with fewer than HUB_LINKS clients as lines', () => {
    const { links } = layoutFamily(managerFamily(HUB_LINKS - 1), 3);
    expect(links.filter((l) => l.kind === 'socket').map((l) => l.route)).toEqual(
      Array<string>(HUB_LINKS - 1).fill('free'),
    );
  });
});

describe('family layout boxes', () => {
  it('grow a line only when a marked box also tells a hub’s links in words', () => {
    const family = managerFamily(HUB_LINKS + 1);
    const plain = layoutFamily(family, 3).nodeH;
    const withZombie = layoutFamily(
      { ...family, nodes: family.nodes.map((n) => (n.pid === 12 ? { ...n, state: 'Z' } : n)) },
      3,
    );
    expect(withZombie.nodeH).toBeGreaterThan(plain);
    expect(withZombie.nodes.get(12)).toMatchObject({ zombie: true });
  });
});

describe('family layout shared objects', () => {
  it('places objects held in the view in a row below every process, and leaves out the rest', () => {
    const family = managerFamily(3);
    const layout = layoutFamily(
      {
        ...family,
        objects: [
          { id: 'shm:0:1', kind: 'lock', name: '/dev/shm/sem.mp-a', holders: [1, 10, 11] },
          { id: 'shm:0:2', kind: 'value', name: '/dev/shm/pym-1-b', holders: [1, 12] },
          { id: 'shm:0:3', kind: 'other', name: '/dev/shm/x', holders: [77, 78] },
        ],
      },
      3,
    );
    expect(layout.objects.map((o) => o.id)).toEqual(['shm:0:1', 'shm:0:2']);
    const lowest = Math.max(...[...layout.nodes.values()].map((n) => n.y + layout.nodeH));
    for (const object of layout.objects) {
      expect(object.y).toBeGreaterThan(lowest);
      expect(object.x + OBJECT_W).toBeLessThanOrEqual(layout.width);
      expect(object.y + OBJECT_H).toBeLessThanOrEqual(layout.height);
    }
  });
});
