// The family graph of one supervised child: its processes, its ghosts, parent edges and IPC edges.
// Cost is per family only: /proc/PID/fd and /proc/PID/maps of its members plus Proctor's and the guard's
// own fds, and one `ss -x` when a member holds a socket; never a scan of the whole machine's fds or maps.
import type { FamilyGraph, Ghost, TreeRow, TreeSnapshot } from '../../../shared/model';
import { familyOf } from '../monitor';
import { readSharedMaps, type SharedMapping } from '../monitor/readers/shared-maps';
import { readIpcEnds, type IpcEnd } from './fds';
import { buildFamilyGraph } from './graph';
import { unixPeers } from './unix-peers';

export { buildFamilyGraph } from './graph';
export type { IpcEnd } from './fds';
export { parseSsUnix } from './unix-peers';
export { mergeFamilyGraphs } from './merge';

/** The rows of one family (the supervised child, its descendants and adopted orphans) and its ghosts. */
export function familyMembers(
  snapshot: Pick<TreeSnapshot, 'rows' | 'ghosts'>,
  childId: string,
): { rows: TreeRow[]; ghosts: Ghost[] } {
  const rows = snapshot.rows.filter((row) => familyOf(row) === childId);
  const lost = new Set<number>();
  for (const row of rows) if (row.marks.orphan) lost.add(row.marks.orphan.ghostPid);
  return { rows, ghosts: snapshot.ghosts.filter((ghost) => lost.has(ghost.pid)) };
}

/** The family's processes and parent edges from a snapshot alone: no fd is read. */
export function treeGraph(childId: string, snapshot: Pick<TreeSnapshot, 'rows' | 'ghosts'>): FamilyGraph {
  const { rows, ghosts } = familyMembers(snapshot, childId);
  return buildFamilyGraph({ childId, rows, ghosts, ends: new Map(), foreign: new Set(), peers: new Map() });
}

/**
 * Reads the family's fds now. `outsiders` are processes whose fds are not IPC between members
 * (Proctor itself and the guard): an inode they hold too is output capture or the guard's link.
 */
export async function readFamilyGraph(
  childId: string,
  snapshot: Pick<TreeSnapshot, 'rows' | 'ghosts'>,
  outsiders: readonly number[],
): Promise<FamilyGraph> {
  const { rows, ghosts } = familyMembers(snapshot, childId);
  const ends = new Map<number, IpcEnd[]>();
  const maps = new Map<number, SharedMapping[]>();
  let sockets = false;
  const mapsRead = Promise.all(
    rows.map(async (row) => {
      const mapped = await readSharedMaps(row.pid);
      if (mapped) maps.set(row.pid, mapped);
    }),
  );
  for (const row of rows) {
    const found = readIpcEnds(row.pid);
    if (!found) continue;
    ends.set(row.pid, found);
    sockets ||= found.some((end) => end.kind === 'socket');
  }
  await mapsRead;
  const foreign = new Set<string>();
  for (const pid of outsiders) {
    for (const end of readIpcEnds(pid, false) ?? []) foreign.add(`${end.kind}:${end.inode}`);
  }
  const peers = sockets ? await unixPeers() : new Map<number, number>();
  return buildFamilyGraph({ childId, rows, ghosts, ends, foreign, peers, maps });
}
