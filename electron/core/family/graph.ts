// The family graph from what was read: parent edges from the tree, IPC edges from shared fds, shared
// objects from shared mappings, multiprocessing roles from command lines.
import type { MpRole } from '../../../shared/columns';
import type { FamilyEdge, FamilyGraph, FamilyNode, Ghost, TreeRow } from '../../../shared/model';
import { mpRoles } from '../monitor/readers/mp-role';
import type { SharedMapping } from '../monitor/readers/shared-maps';
import type { IpcEnd } from './fds';
import { sharedObjects } from './shared-objects';
import type { PeerMap } from './unix-peers';

export interface FamilyInput {
  childId: string;
  /** The family's live members (the supervised child and its descendants, orphans included). */
  rows: readonly TreeRow[];
  /** Dead parents of the family's orphans. */
  ghosts: readonly Ghost[];
  /** Each member's pipe and socket fds. */
  ends: ReadonlyMap<number, readonly IpcEnd[]>;
  /** `kind:inode` held outside the family (Proctor, the guard): stdout capture, not IPC between members. */
  foreign: ReadonlySet<string>;
  peers: PeerMap;
  /** Each member's shared mappings (semaphores, shared memory), when they were read. */
  maps?: ReadonlyMap<number, readonly SharedMapping[]>;
}

type Holders = Map<number, { read: boolean; write: boolean }>;

const key = (kind: string, inode: number): string => `${kind}:${inode}`;

export function buildFamilyGraph(input: FamilyInput): FamilyGraph {
  const nodes: FamilyNode[] = [
    ...input.rows.map((row) => ({
      pid: row.pid,
      ppid: row.ppid,
      name: row.name,
      cmd: row.cmd,
      state: row.state,
    })),
    ...input.ghosts.map((ghost) => ({
      pid: ghost.pid,
      ppid: ghost.ppid,
      name: ghost.name,
      cmd: ghost.cmd,
      state: 'X',
      ghost: true,
    })),
  ];
  const present = new Set(nodes.map((node) => node.pid));
  // An orphan hangs under the ghost of the parent it lost, not under the subreaper that adopted it.
  const parentOf = new Map<number, number>();
  for (const node of nodes) parentOf.set(node.pid, node.ppid);
  for (const row of input.rows) {
    const ghostPid = row.marks.orphan?.ghostPid;
    if (ghostPid !== undefined && present.has(ghostPid)) parentOf.set(row.pid, ghostPid);
  }
  const edges = new Edges();
  for (const [pid, parent] of parentOf) {
    if (present.has(parent) && parent !== pid) edges.add({ from: parent, to: pid, kind: 'parent' });
  }
  const depth = depths(parentOf, present);
  linkChannels(collectHolders(input), input.peers, depth, edges);
  return {
    childId: input.childId,
    nodes,
    edges: edges.list(),
    objects: sharedObjects(input.maps ?? new Map(), input.ends, input.foreign),
    roles: rolesOf(input.rows),
  };
}

function rolesOf(rows: readonly TreeRow[]): Record<number, MpRole> {
  const roles: Record<number, MpRole> = {};
  for (const [pid, role] of mpRoles(rows)) roles[pid] = role;
  return roles;
}

function collectHolders(input: FamilyInput): Map<string, Holders> {
  const holders = new Map<string, Holders>();
  for (const [pid, ends] of input.ends) {
    for (const end of ends) {
      const k = key(end.kind, end.inode);
      if (input.foreign.has(k)) continue;
      let byPid = holders.get(k);
      if (!byPid) holders.set(k, (byPid = new Map()));
      const seen = byPid.get(pid) ?? { read: false, write: false };
      byPid.set(pid, { read: seen.read || end.read, write: seen.write || end.write });
    }
  }
  return holders;
}

/**
 * A pipe joins its writers to its readers. A socket pair joins the holders of one end to the holders
 * of its peer; a socket inode shared without a peer in the family joins its holders to each other.
 */
function linkChannels(
  holders: Map<string, Holders>,
  peers: PeerMap,
  depth: Map<number, number>,
  edges: Edges,
): void {
  const paired = new Set<string>();
  for (const [k, byPid] of holders) {
    const [kind, inodeText] = k.split(':') as ['pipe' | 'socket', string];
    const inode = Number(inodeText);
    if (kind === 'pipe') {
      const writers = pidsWhere(byPid, (mode) => mode.write);
      const readers = pidsWhere(byPid, (mode) => mode.read);
      link(writers, readers, { kind, label: `pipe:[${inode}]`, directed: true }, depth, edges);
      continue;
    }
    if (paired.has(k)) continue;
    const peer = peers.get(inode);
    const peerHolders = peer === undefined ? undefined : holders.get(key('socket', peer));
    if (peer !== undefined && peerHolders) {
      paired.add(key('socket', peer));
      const label = `socket:[${Math.min(inode, peer)}]↔[${Math.max(inode, peer)}]`;
      link(
        new Set(byPid.keys()),
        new Set(peerHolders.keys()),
        { kind, label, directed: false },
        depth,
        edges,
      );
    } else {
      const all = new Set(byPid.keys());
      link(all, all, { kind, label: `socket:[${inode}]`, directed: false }, depth, edges);
    }
  }
}

function pidsWhere(byPid: Holders, test: (mode: { read: boolean; write: boolean }) => boolean): Set<number> {
  const pids = new Set<number>();
  for (const [pid, mode] of byPid) if (test(mode)) pids.add(pid);
  return pids;
}

/**
 * Joins side A to side B through the channel's hub: the holder nearest the root, usually the process
 * that made the channel. fork() copies every fd, so later siblings inherit ends they never use (each
 * multiprocessing child's sentinel pipes, a proxy's socket); only edges that touch the hub are drawn,
 * a star per channel instead of a clique. A pipe edge is directed when one side only writes and the
 * other only reads it.
 */
function link(
  a: Set<number>,
  b: Set<number>,
  channel: { kind: 'pipe' | 'socket'; label: string; directed: boolean },
  depth: Map<number, number>,
  edges: Edges,
): void {
  const all = [...new Set([...a, ...b])];
  if (all.length < 2) return;
  const rank = (pid: number): number => depth.get(pid) ?? Number.MAX_SAFE_INTEGER;
  const hub = all.reduce((best, pid) =>
    rank(pid) < rank(best) || (rank(pid) === rank(best) && pid < best) ? pid : best,
  );
  for (const p of a) {
    for (const q of b) {
      if (p === q || (p !== hub && q !== hub)) continue;
      const oneWay = !(a.has(q) && b.has(p));
      if (channel.directed && oneWay) {
        edges.add({ from: p, to: q, kind: channel.kind, label: channel.label, directed: true });
      } else {
        const [from, to] = p === hub ? [p, q] : [q, p];
        edges.add({ from, to, kind: channel.kind, label: channel.label, directed: false });
      }
    }
  }
}

function depths(parentOf: Map<number, number>, present: Set<number>): Map<number, number> {
  const depth = new Map<number, number>();
  for (const pid of present) {
    let d = 0;
    // Bounded walk: a cycle in stale data must not hang the graph.
    for (let at = parentOf.get(pid); at !== undefined && present.has(at) && d <= present.size; d++) {
      at = parentOf.get(at);
    }
    depth.set(pid, d);
  }
  return depth;
}

/** Edges keyed by kind, ends and direction; several inodes between the same ends share one edge. */
class Edges {
  private readonly byKey = new Map<string, FamilyEdge>();

  add(edge: FamilyEdge): void {
    const k = `${edge.kind}|${edge.from}|${edge.to}|${edge.directed === true}`;
    const existing = this.byKey.get(k);
    if (!existing) {
      this.byKey.set(k, { ...edge });
    } else if (edge.label !== undefined && !(existing.label ?? '').split(' ').includes(edge.label)) {
      existing.label = existing.label === undefined ? edge.label : `${existing.label} ${edge.label}`;
    }
  }

  list(): FamilyEdge[] {
    return [...this.byKey.values()];
  }
}
