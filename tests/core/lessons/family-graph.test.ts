// The family graph: the pure builder on hand-made fds, then a real Python family whose Pipe, Queue and
// one-way Pipe must show as a socket pair, a shared pipe and a directed pipe, with stdout left out.
import { readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FamilyEdge, Ghost, TreeRow } from '../../../shared/model';
import {
  buildFamilyGraph,
  familyMembers,
  parseSsUnix,
  readFamilyGraph,
  type IpcEnd,
} from '../../../electron/core/family';
import { locatePython } from '../../../electron/core/lessons';
import { call, FIXTURES, lessonService } from './helpers';

function row(pid: number, ppid: number, marks: TreeRow['marks'] = {}): TreeRow {
  return {
    pid,
    ppid,
    name: 'python3',
    cmd: 'python3',
    state: 'S',
    threads: 1,
    rssBytes: 0,
    cpuPct: 0,
    uid: 0,
    user: 'u',
    startedAt: 0,
    pgid: pid,
    marks,
  };
}

const pipe = (inode: number, mode: 'r' | 'w' | 'rw'): IpcEnd => ({
  kind: 'pipe',
  inode,
  read: mode !== 'w',
  write: mode !== 'r',
});
const socket = (inode: number): IpcEnd => ({ kind: 'socket', inode, read: true, write: true });

function graph(
  ends: Record<number, IpcEnd[]>,
  options: { foreign?: string[]; peers?: Array<[number, number]> } = {},
) {
  return buildFamilyGraph({
    childId: 'c1',
    rows: [
      row(1, 100, { supervised: { childId: 'c1', name: 'x', daemon: false } }),
      row(2, 1),
      row(3, 1),
      row(4, 1),
    ],
    ghosts: [],
    ends: new Map(Object.entries(ends).map(([pid, list]) => [Number(pid), list])),
    foreign: new Set(options.foreign ?? []),
    peers: new Map(options.peers ?? []),
  });
}

const ipc = (edges: FamilyEdge[]) =>
  edges
    .filter((e) => e.kind !== 'parent')
    .map((e) => `${e.from}${e.directed ? '→' : '–'}${e.to} ${e.label}`)
    .sort();

describe('buildFamilyGraph', () => {
  it('directs a pipe from the processes holding its write end to those holding its read end', () => {
    // A Pool's task pipe: the parent holds both ends, the workers closed the write end.
    const g = graph({
      1: [pipe(10, 'r'), pipe(10, 'w'), pipe(11, 'r'), pipe(11, 'w')],
      2: [pipe(10, 'r'), pipe(11, 'w')],
      3: [pipe(10, 'r'), pipe(11, 'w')],
    });
    expect(ipc(g.edges)).toEqual(['1→2 pipe:[10]', '1→3 pipe:[10]', '2→1 pipe:[11]', '3→1 pipe:[11]']);
    expect(
      g.edges
        .filter((e) => e.kind === 'parent')
        .map((e) => `${e.from}>${e.to}`)
        .sort(),
    ).toEqual(['1>2', '1>3', '1>4']);
  });

  it('draws a pipe everyone holds both ends of as a star from its hub, not a clique', () => {
    const both = [pipe(12, 'r'), pipe(12, 'w')];
    expect(ipc(graph({ 1: both, 2: both, 3: both }).edges)).toEqual(['1–2 pipe:[12]', '1–3 pipe:[12]']);
  });

  it('ignores ends a later sibling only inherited: edges always touch the hub', () => {
    // Child 2's exit sentinel: 2 writes, the parent reads, and child 3 (forked later) inherited the read end.
    expect(ipc(graph({ 1: [pipe(14, 'r')], 2: [pipe(14, 'w')], 3: [pipe(14, 'r')] }).edges)).toEqual([
      '2→1 pipe:[14]',
    ]);
  });

  it('leaves out inodes held outside the family (stdout capture)', () => {
    const out = [pipe(13, 'w')];
    expect(ipc(graph({ 1: out, 2: out, 3: out }, { foreign: ['pipe:13'] }).edges)).toEqual([]);
  });

  it('joins a socket pair through its peer, and the clients of a server to the server', () => {
    const pair = graph(
      { 1: [socket(20), socket(21)], 2: [socket(20), socket(21)] },
      {
        peers: [
          [20, 21],
          [21, 20],
        ],
      },
    );
    expect(ipc(pair.edges)).toEqual(['1–2 socket:[20]↔[21]']);
    // Each client has its own connection to the server; an inherited copy of one adds no edge.
    const server = graph(
      { 2: [socket(30)], 3: [socket(32), socket(30)], 4: [socket(31), socket(33)] },
      {
        peers: [
          [30, 31],
          [31, 30],
          [32, 33],
          [33, 32],
        ],
      },
    );
    expect(ipc(server.edges)).toEqual(['2–4 socket:[30]↔[31]', '3–4 socket:[32]↔[33]']);
    // Without a known peer a socket only links the processes sharing its inode.
    expect(ipc(graph({ 2: [socket(30)], 3: [socket(30)], 4: [socket(31)] }).edges)).toEqual([
      '2–3 socket:[30]',
    ]);
  });

  it('hangs an orphan under the ghost of its dead parent', () => {
    const ghost: Ghost = { pid: 6, ppid: 1, name: 'python3', cmd: 'python3', diedAt: 0 };
    const g = buildFamilyGraph({
      childId: 'c1',
      rows: [row(1, 100), row(5, 99, { family: 'c1', orphan: { ghostPid: 6 } })],
      ghosts: [ghost],
      ends: new Map(),
      foreign: new Set(),
      peers: new Map(),
    });
    expect(g.nodes.find((n) => n.pid === 6)).toMatchObject({ ghost: true, state: 'X' });
    expect(g.edges.map((e) => `${e.from}>${e.to}`).sort()).toEqual(['1>6', '6>5']);
  });

  it('reads peers from ss -x output', () => {
    const out = 'u_str ESTAB 0 0 * 61407 * 61406\nu_str ESTAB 0 0 /tmp/pymp-x/listener-1 70001 * 70002 \n';
    expect([...parseSsUnix(out)]).toEqual([
      [61407, 61406],
      [70001, 70002],
    ]);
  });
});

describe('readFamilyGraph on a real Python family', () => {
  const service = lessonService();

  it("finds a Pipe()'s socket pair, a Queue's pipe and a one-way pipe's direction, and not stdout", async () => {
    const python = await locatePython('');
    const child = await service().supervisor.start({
      command: python.path!,
      args: ['-u', join(FIXTURES, 'ipc_family.py')],
    });
    try {
      let ready: string[] | undefined;
      for (let i = 0; i < 200 && !ready; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        ready = child.output
          .lines()
          .map((l) => /^READY (\d+) (\d+)$/.exec(l.text))
          .find((m) => m !== null)
          ?.slice(1);
      }
      expect(ready, 'the fixture printed READY').toBeDefined();
      const [parent, kid] = ready!.map(Number) as [number, number];
      // tick() returns at once while the monitor's own loop is mid-tick, which on a loaded machine may
      // be a tick that began before the family was born: wait for one that has seen both.
      const seenBoth = () => {
        const members = familyMembers(service().monitor.snapshot(), child.id).rows.map((row) => row.pid);
        return members.includes(parent) && members.includes(kid);
      };
      for (let i = 0; i < 200 && !seenBoth(); i++) {
        await service().monitor.tick();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const g = await readFamilyGraph(child.id, service().monitor.snapshot(), [process.pid, child.guardPid!]);

      expect(g.nodes.map((n) => n.pid).sort()).toEqual([parent, kid].sort());
      expect(g.edges).toContainEqual({ from: parent, to: kid, kind: 'parent' });
      const between = g.edges.filter((e) => e.kind !== 'parent');
      const sockets = between.filter((e) => e.kind === 'socket');
      expect(sockets.length).toBeGreaterThan(0);
      expect(sockets.some((e) => /^socket:\[\d+\]↔\[\d+\]/.test(e.label ?? ''))).toBe(true);
      // The one-way Pipe: the parent holds only its write end, the child only its read end.
      expect(between.some((e) => e.kind === 'pipe' && e.directed && e.from === parent && e.to === kid)).toBe(
        true,
      );
      // The Queue's pipe: both hold both ends, so it is shared without a direction.
      expect(between.some((e) => e.kind === 'pipe' && !e.directed)).toBe(true);
      // stdout is a pipe to Proctor: never an edge between the two.
      const stdout = readlinkSync(`/proc/${kid}/fd/1`);
      expect(between.flatMap((e) => e.label?.split(' ') ?? [])).not.toContain(stdout);
      // Any supervised child, not only a lesson, gets the same graph through the contract.
      const viaContract = await call(service(), 'family:graph', { id: child.id });
      expect(viaContract.nodes.map((n) => n.pid).sort()).toEqual([parent, kid].sort());
      expect(viaContract.edges.filter((e) => e.kind === 'socket').length).toBeGreaterThan(0);
    } finally {
      await child.kill();
    }
  });
});
