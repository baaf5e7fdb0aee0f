// Turns the flat process table into the rows the tree shows, in order. Pure functions, so the
// composable can cache each step by what it depends on: the shape on structure, the sibling order
// on sort, the visible list on expansion and filter.
import type { ChildInfo, Ghost, TreeRow } from '../../../shared/model';

/**
 * A node of the displayed tree: a live process keeps its pid; a ghost (a dead parent kept for its
 * orphans) is `-pid`, so a reused pid never collides with the ghost of its previous owner; a
 * supervised child that has exited gets a serial below every ghost (pids stay under 2^22).
 */
export type NodeId = number;
const EXITED_BASE = 2 ** 23;
export const ghostNode = (pid: number): NodeId => -pid;
export const isGhostNode = (id: NodeId): boolean => id < 0 && id > -EXITED_BASE;
export const exitedNode = (serial: number): NodeId => -(EXITED_BASE + serial);
export const isExitedNode = (id: NodeId): boolean => id <= -EXITED_BASE;

/** A supervised child no longer running, listed where it ran until it is removed. */
export interface ExitedChild {
  child: ChildInfo;
  /** The process it ran under (Proctor's backend; its guard is folded away), or null for a root. */
  parent: number | null;
}

/** The command line the way the monitor shows a live one: arguments joined by spaces. */
export const commandLineOf = (child: ChildInfo): string => [child.spec.command, ...child.spec.args].join(' ');

export type SortKey =
  'pid' | 'name' | 'cmd' | 'state' | 'cpuPct' | 'rssBytes' | 'threads' | 'user' | 'startedAt';
export interface SortOrder {
  key: SortKey;
  descending: boolean;
}

export interface TreeShape {
  parentOf: Map<NodeId, NodeId | null>;
  /** Children per node; `null` holds the roots. Sorted by `sortShape`. */
  childrenOf: Map<NodeId | null, NodeId[]>;
}

export interface TreeOptions {
  tree: boolean;
  collapsed: ReadonlySet<NodeId>;
  filter: string;
  supervisedOnly: boolean;
  focus: NodeId | null;
  sort: SortOrder;
}

export interface VisibleRow {
  id: NodeId;
  depth: number;
  hasChildren: boolean;
  expanded: boolean;
  parent: NodeId | null;
  row: TreeRow | null;
  ghost: Ghost | null;
  exited: ChildInfo | null;
}

export interface Table {
  rows: ReadonlyMap<number, TreeRow>;
  ghosts: ReadonlyMap<number, Ghost>;
  exited: ReadonlyMap<NodeId, ExitedChild>;
}

const MAX_FOLD_HOPS = 64;
const NO_CHILDREN: readonly NodeId[] = [];

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
  let parent: NodeId;
  if (isExitedNode(id)) {
    const home = table.exited.get(id)!.parent;
    return home !== null && table.rows.has(home) ? home : null;
  }
  if (isGhostNode(id)) {
    parent = table.ghosts.get(-id)!.ppid;
  } else {
    const row = table.rows.get(id)!;
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

function sortValue(id: NodeId, key: SortKey, table: Table): string | number {
  if (isExitedNode(id)) {
    const { child } = table.exited.get(id)!;
    if (key === 'pid') return child.pid ?? 0;
    if (key === 'name') return child.name;
    if (key === 'cmd') return commandLineOf(child);
    return key === 'user' || key === 'state' ? '' : 0;
  }
  if (isGhostNode(id)) {
    const ghost = table.ghosts.get(-id)!;
    if (key === 'pid') return ghost.pid;
    if (key === 'name') return ghost.name;
    if (key === 'cmd') return ghost.cmd;
    return key === 'user' || key === 'state' ? '' : 0;
  }
  return table.rows.get(id)![key];
}

export function compareNodes(table: Table, sort: SortOrder): (a: NodeId, b: NodeId) => number {
  const direction = sort.descending ? -1 : 1;
  // The default order, and the one re-run on every structural change: no lookups needed.
  if (sort.key === 'pid') return (a, b) => (Math.abs(a) - Math.abs(b)) * direction;
  return (a, b) => {
    const va = sortValue(a, sort.key, table);
    const vb = sortValue(b, sort.key, table);
    let order = 0;
    if (typeof va === 'number' && typeof vb === 'number') order = va - vb;
    else order = String(va).localeCompare(String(vb));
    return order !== 0 ? order * direction : Math.abs(a) - Math.abs(b);
  };
}

export function sortShape(shape: TreeShape, table: Table, sort: SortOrder): void {
  const compare = compareNodes(table, sort);
  for (const siblings of shape.childrenOf.values()) siblings.sort(compare);
}

export function matchesQuery(id: NodeId, query: string, table: Table): boolean {
  if (isExitedNode(id)) {
    const { child } = table.exited.get(id)!;
    return (
      String(child.pid) === query ||
      child.name.toLowerCase().includes(query) ||
      commandLineOf(child).toLowerCase().includes(query)
    );
  }
  if (isGhostNode(id)) {
    const ghost = table.ghosts.get(-id)!;
    return (
      String(ghost.pid) === query ||
      ghost.name.toLowerCase().includes(query) ||
      ghost.cmd.toLowerCase().includes(query)
    );
  }
  const row = table.rows.get(id)!;
  return (
    String(row.pid) === query ||
    row.name.toLowerCase().includes(query) ||
    row.cmd.toLowerCase().includes(query) ||
    row.user.toLowerCase().includes(query)
  );
}

/** The nodes that may show at all: the focused subtree, the supervised families, the filter's hits. */
function allowedNodes(shape: TreeShape, table: Table, options: TreeOptions): Set<NodeId> | null {
  let allowed: Set<NodeId> | null = null;
  const subtree = (roots: Iterable<NodeId>, into: Set<NodeId>) => {
    const stack = [...roots];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (into.has(id)) continue;
      into.add(id);
      stack.push(...(shape.childrenOf.get(id) ?? []));
    }
    return into;
  };
  if (options.focus !== null && shape.parentOf.has(options.focus))
    allowed = subtree([options.focus], new Set());
  if (options.supervisedOnly) {
    const families = subtree(
      [...table.rows.values()].filter((row) => row.marks.supervised).map((row) => row.pid),
      new Set(),
    );
    for (const ghost of table.ghosts.keys()) subtree([ghostNode(ghost)], families);
    for (const id of table.exited.keys()) families.add(id);
    allowed = allowed ? new Set([...allowed].filter((id) => families.has(id))) : families;
  }
  const query = options.filter.trim().toLowerCase();
  if (query) {
    const kept = new Set<NodeId>();
    const candidates = allowed ?? shape.parentOf.keys();
    for (const id of candidates) {
      if (!matchesQuery(id, query, table)) continue;
      for (let up: NodeId | null | undefined = id; up != null && !kept.has(up); up = shape.parentOf.get(up)) {
        if (allowed && !allowed.has(up)) break;
        kept.add(up);
      }
    }
    allowed = kept;
  }
  return allowed;
}

function visibleOf(id: NodeId, depth: number, parent: NodeId | null, table: Table): VisibleRow {
  return {
    id,
    depth,
    parent,
    hasChildren: false,
    expanded: false,
    row: id > 0 ? table.rows.get(id)! : null,
    ghost: isGhostNode(id) ? table.ghosts.get(-id)! : null,
    exited: isExitedNode(id) ? table.exited.get(id)!.child : null,
  };
}

export function flatten(shape: TreeShape, table: Table, options: TreeOptions): VisibleRow[] {
  const allowed = allowedNodes(shape, table, options);
  const out: VisibleRow[] = [];
  if (!options.tree) {
    const ids = allowed ? [...allowed] : [...shape.parentOf.keys()];
    ids.sort(compareNodes(table, options.sort));
    for (const id of ids) out.push(visibleOf(id, 0, null, table));
    return out;
  }
  // A root is a node whose displayed parent is not shown: the true roots, or the top of a focus / family.
  const roots: NodeId[] = allowed
    ? [...allowed].filter((id) => {
        const parent = shape.parentOf.get(id);
        return parent == null || !allowed.has(parent);
      })
    : [...(shape.childrenOf.get(null) ?? [])];
  if (allowed) roots.sort(compareNodes(table, options.sort));
  const filtering = options.filter.trim() !== '';
  const seen = new Set<NodeId>();
  const stack: Array<{ id: NodeId; depth: number; parent: NodeId | null }> = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push({ id: roots[i]!, depth: 0, parent: null });
  while (stack.length > 0) {
    const { id, depth, parent } = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const visible = visibleOf(id, depth, parent, table);
    const all = shape.childrenOf.get(id) ?? NO_CHILDREN;
    const children = allowed ? all.filter((child) => allowed.has(child)) : all;
    visible.hasChildren = children.length > 0;
    visible.expanded = visible.hasChildren && (filtering || !options.collapsed.has(id));
    out.push(visible);
    if (visible.expanded) {
      for (let i = children.length - 1; i >= 0; i--)
        stack.push({ id: children[i]!, depth: depth + 1, parent: id });
    }
  }
  return out;
}

/** Every node that has children, for collapse-all. */
export function parentsIn(shape: TreeShape): NodeId[] {
  return [...shape.childrenOf.keys()].filter((id): id is NodeId => id !== null);
}
