// The process table as a tree: who hangs under whom once guards are folded away and orphans put under
// the ghosts of their dead parents, and the siblings' order for a sort. Pure functions of the table.
import type { ChildInfo, Ghost, TreeRow } from '../../../shared/model';
import { describeNode, ghostNode, pidOrder, type NodeId } from './node-id';

/** A supervised child no longer running, listed where it ran until it is removed. */
export interface ExitedChild {
  child: ChildInfo;
  /** The process it ran under (Proctor's backend; its guard is folded away), or null for a root. */
  parent: number | null;
}

/** The command line the way the monitor shows a live one: arguments joined by spaces. */
export const commandLineOf = (child: ChildInfo): string => [child.spec.command, ...child.spec.args].join(' ');

export type SortKey =
  | 'pid'
  | 'name'
  | 'cmd'
  | 'state'
  | 'cpuPct'
  | 'rssBytes'
  | 'threads'
  | 'user'
  | 'startedAt'
  // The optional columns' (shared/columns.ts): absent while not read, sorted as 0 or ''.
  | 'ioReadPerSec'
  | 'ioWritePerSec'
  | 'ports'
  | 'gpuPct'
  | 'cgroup'
  | 'nice'
  | 'mpRole';
export interface SortOrder {
  key: SortKey;
  descending: boolean;
}

export interface TreeShape {
  parentOf: ReadonlyMap<NodeId, NodeId | null>;
  /** Children per node; `null` holds the roots. In table order from `buildShape`, sorted by `sortedShape`. */
  childrenOf: ReadonlyMap<NodeId | null, readonly NodeId[]>;
}

export interface Table {
  rows: ReadonlyMap<number, TreeRow>;
  ghosts: ReadonlyMap<number, Ghost>;
  exited: ReadonlyMap<NodeId, ExitedChild>;
}

const MAX_FOLD_HOPS = 64;

/**
 * The process a child of `ppid` shows under once the guard shims are folded away, and the last guard
 * passed on the way (null when `ppid` is no guard).
 */
export function pastGuards(
  ppid: number,
  rows: ReadonlyMap<number, TreeRow>,
): { parent: number; guard: number | null } {
  let parent = ppid;
  let guard: number | null = null;
  for (let hops = 0; hops < MAX_FOLD_HOPS; hops++) {
    const above = rows.get(parent);
    if (!above?.marks.guard) break;
    guard = above.pid;
    parent = above.ppid;
  }
  return { parent, guard };
}

/** Where a node hangs in the displayed tree: orphans under their ghost, guard shims folded away. */
function displayParent(id: NodeId, table: Table): NodeId | null {
  const node = describeNode(id);
  let parent: NodeId;
  if (node.kind === 'exited') {
    const home = table.exited.get(id)!.parent;
    return home !== null && table.rows.has(home) ? home : null;
  }
  if (node.kind === 'ghost') {
    parent = table.ghosts.get(node.pid)!.ppid;
  } else {
    const row = table.rows.get(node.pid)!;
    const ghostPid = row.marks.orphan?.ghostPid;
    if (ghostPid !== undefined && table.ghosts.has(ghostPid)) return ghostNode(ghostPid);
    parent = row.ppid;
  }
  parent = pastGuards(parent, table.rows).parent;
  if (table.rows.has(parent)) return parent === id ? null : parent;
  if (table.ghosts.has(parent)) return ghostNode(parent);
  return null;
}

export function buildShape(table: Table): TreeShape {
  const parentOf = new Map<NodeId, NodeId | null>();
  const childrenOf = new Map<NodeId | null, NodeId[]>([[null, []]]);
  const place = (id: NodeId) => {
    const parent = displayParent(id, table);
    parentOf.set(id, parent);
    let siblings = childrenOf.get(parent);
    if (!siblings) childrenOf.set(parent, (siblings = []));
    siblings.push(id);
  };
  for (const row of table.rows.values()) if (!row.marks.guard) place(row.pid);
  for (const ghost of table.ghosts.values()) place(ghostNode(ghost.pid));
  for (const id of table.exited.keys()) place(id);
  return { parentOf, childrenOf };
}

/** What a node shows in the pid, name and command columns, and the user of a live process. */
export interface NodeLabels {
  pid: number | null;
  name: string;
  cmd: string;
  user?: string;
}

export function labelsOf(id: NodeId, table: Table): NodeLabels {
  const node = describeNode(id);
  if (node.kind === 'process') return table.rows.get(node.pid)!;
  if (node.kind === 'ghost') return table.ghosts.get(node.pid)!;
  const { child } = table.exited.get(id)!;
  return { pid: child.pid, name: child.name, cmd: commandLineOf(child) };
}

/** Keys sorted as text; the rest as numbers. */
const TEXT_SORTS: ReadonlySet<SortKey> = new Set<SortKey>([
  'name',
  'cmd',
  'user',
  'state',
  'ports',
  'cgroup',
  'mpRole',
]);

function sortValue(id: NodeId, key: SortKey, table: Table): string | number {
  const node = describeNode(id);
  if (node.kind === 'process') return table.rows.get(node.pid)![key] ?? (TEXT_SORTS.has(key) ? '' : 0);
  const { pid, name, cmd } = labelsOf(id, table);
  if (key === 'pid') return pid ?? 0;
  if (key === 'name') return name;
  if (key === 'cmd') return cmd;
  return TEXT_SORTS.has(key) ? '' : 0;
}

export function compareNodes(table: Table, sort: SortOrder): (a: NodeId, b: NodeId) => number {
  const direction = sort.descending ? -1 : 1;
  // The default order, and the one re-run on every structural change: no lookups needed.
  if (sort.key === 'pid') return (a, b) => (pidOrder(a) - pidOrder(b)) * direction;
  return (a, b) => {
    const va = sortValue(a, sort.key, table);
    const vb = sortValue(b, sort.key, table);
    let order = 0;
    if (typeof va === 'number' && typeof vb === 'number') order = va - vb;
    else order = String(va).localeCompare(String(vb));
    return order !== 0 ? order * direction : pidOrder(a) - pidOrder(b);
  };
}

/** The same shape with every node's children in the sort's order; `shape` itself is left as it was. */
export function sortedShape(shape: TreeShape, table: Table, sort: SortOrder): TreeShape {
  const compare = compareNodes(table, sort);
  const childrenOf = new Map<NodeId | null, NodeId[]>();
  for (const [parent, siblings] of shape.childrenOf) childrenOf.set(parent, [...siblings].sort(compare));
  return { parentOf: shape.parentOf, childrenOf };
}

/** Every node that has children, for collapse-all. */
export function parentsIn(shape: TreeShape): NodeId[] {
  return [...shape.childrenOf.keys()].filter((id): id is NodeId => id !== null);
}
