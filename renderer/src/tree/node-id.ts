// The ids of the displayed tree's nodes, and the one place that reads what an id stands for. A live
// process keeps its pid; a ghost (a dead parent kept for its orphans) is `-pid`, so a reused pid never
// collides with the ghost of its previous owner; a supervised child that has exited gets a serial
// below every ghost (pids stay under 2^22).
export type NodeId = number;

const EXITED_BASE = 2 ** 23;

export type Node =
  { kind: 'process'; pid: number } | { kind: 'ghost'; pid: number } | { kind: 'exited'; serial: number };

export const ghostNode = (pid: number): NodeId => -pid;
export const exitedNode = (serial: number): NodeId => -(EXITED_BASE + serial);

export function describeNode(id: NodeId): Node {
  if (id > 0) return { kind: 'process', pid: id };
  if (id > -EXITED_BASE) return { kind: 'ghost', pid: -id };
  return { kind: 'exited', serial: -id - EXITED_BASE };
}

/**
 * Where a node goes in pid order: processes and ghosts by their pid, exited children after them all.
 * A number, not a `describeNode`, because the default sort compares it on every structural change.
 */
export const pidOrder = (id: NodeId): number => Math.abs(id);
