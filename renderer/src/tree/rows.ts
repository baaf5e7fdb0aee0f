// The rows the tree shows, in order, from a sorted shape and the way the user looks at it: folds,
// filter, focus, supervised-only, tree or flat. A pure function; the view store caches its inputs
// (shape, order, options) as computeds, so a tick that moved no input keeps the same rows.
import type { ChildInfo, Ghost, TreeRow } from '../../../shared/model';
import { holdsPort, KTHREADD, portQuery } from '../../../shared/columns';
import { describeNode, ghostNode, type NodeId } from './node-id';
import { compareNodes, labelsOf, type SortOrder, type Table, type TreeShape } from './shape';

export interface TreeOptions {
  tree: boolean;
  collapsed: ReadonlySet<NodeId>;
  filter: string;
  supervisedOnly: boolean;
  focus: NodeId | null;
  sort: SortOrder;
  /** htop's `K`: kthreadd and the kernel threads under it stay out. */
  hideKernelThreads: boolean;
  /** Only this user's processes (with the ancestors that lead to them); null for everyone's. */
  user: string | null;
}

export interface RowsInputs {
  /** The shape with its siblings in `options.sort`'s order (`sortedShape`). */
  shape: TreeShape;
  table: Table;
  options: TreeOptions;
}

export interface VisibleRow {
  id: NodeId;
  depth: number;
  hasChildren: boolean;
  expanded: boolean;
  /** How many nodes a fold here hides (all of its descendants that may show); 0 when open. */
  hidden: number;
  parent: NodeId | null;
  row: TreeRow | null;
  ghost: Ghost | null;
  exited: ChildInfo | null;
}

/**
 * `next`, or `previous` when it says the same: a rebuilt list (any process started or ended anywhere)
 * then hands the rows on screen the very objects they had, and Vue leaves those rows alone.
 */
export function sameOrNext(previous: VisibleRow | undefined, next: VisibleRow): VisibleRow {
  return previous !== undefined &&
    previous.id === next.id &&
    previous.depth === next.depth &&
    previous.hasChildren === next.hasChildren &&
    previous.expanded === next.expanded &&
    previous.hidden === next.hidden &&
    previous.parent === next.parent &&
    previous.row === next.row &&
    previous.ghost === next.ghost &&
    previous.exited === next.exited
    ? previous
    : next;
}

const NO_CHILDREN: readonly NodeId[] = [];
const NOTHING: ReadonlySet<NodeId> = new Set();

/** The labels a search or filter looks in, in the order a hit is named by. */
export type MatchField = 'port' | 'pid' | 'name' | 'user' | 'cmd';

/**
 * Which of a node's labels holds `query` (in lower case): its pid exactly, or its name (a supervised
 * child's own name included), user or command line containing it; the first that does, so a hit can say where it matched. `:8080` asks who holds
 * that port instead (the Ports column's figure, read while that column is shown). Null when none does.
 */
export function matchedField(id: NodeId, query: string, table: Table): MatchField | null {
  const port = portQuery(query);
  if (port !== null) return holdsPort(table.rows.get(id)?.ports, port) ? 'port' : null;
  const { pid, name, cmd, user } = labelsOf(id, table);
  if (String(pid) === query) return 'pid';
  if (name.toLowerCase().includes(query)) return 'name';
  // A supervised child's row is titled by the name it was started under, so that name finds it too.
  const started = table.rows.get(id)?.marks.supervised?.name;
  if (started !== undefined && started.toLowerCase().includes(query)) return 'name';
  if (user !== undefined && user.toLowerCase().includes(query)) return 'user';
  return cmd.toLowerCase().includes(query) ? 'cmd' : null;
}

export const matchesQuery = (id: NodeId, query: string, table: Table): boolean =>
  matchedField(id, query, table) !== null;

/** The nodes a view hides whatever else is asked: the kernel threads, under kthreadd (a few hundred at most). */
function hiddenNodes(shape: TreeShape, options: TreeOptions): ReadonlySet<NodeId> {
  if (!options.hideKernelThreads || !shape.parentOf.has(KTHREADD)) return NOTHING;
  const hidden = new Set<NodeId>();
  const stack: NodeId[] = [KTHREADD];
  while (stack.length > 0) {
    const id = stack.pop()!;
    hidden.add(id);
    stack.push(...(shape.childrenOf.get(id) ?? []));
  }
  return hidden;
}

/** `matching` with every ancestor that leads to one, within `allowed` when given. */
function withAncestors(
  shape: TreeShape,
  candidates: Iterable<NodeId>,
  matching: (id: NodeId) => boolean,
  allowed: Set<NodeId> | null,
): Set<NodeId> {
  const kept = new Set<NodeId>();
  for (const id of candidates) {
    if (!matching(id)) continue;
    for (let up: NodeId | null | undefined = id; up != null && !kept.has(up); up = shape.parentOf.get(up)) {
      if (allowed && !allowed.has(up)) break;
      kept.add(up);
    }
  }
  return kept;
}

/** The nodes that may show at all: the focused subtree, the supervised families, the filter's hits. */
function allowedNodes(
  shape: TreeShape,
  table: Table,
  options: TreeOptions,
  hidden: ReadonlySet<NodeId>,
): Set<NodeId> | null {
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
  const user = options.user;
  if (user !== null) {
    // A process's node id is its pid; ghosts and exited children have no user.
    const mine = (id: NodeId) => !hidden.has(id) && table.rows.get(id)?.user === user;
    allowed = withAncestors(shape, allowed ?? shape.parentOf.keys(), mine, allowed);
  }
  const query = options.filter.trim().toLowerCase();
  if (query) {
    const hit = (id: NodeId) => !hidden.has(id) && matchesQuery(id, query, table);
    allowed = withAncestors(shape, allowed ?? shape.parentOf.keys(), hit, allowed);
  }
  return allowed;
}

function visibleOf(id: NodeId, depth: number, parent: NodeId | null, table: Table): VisibleRow {
  const node = describeNode(id);
  return {
    id,
    depth,
    parent,
    hasChildren: false,
    expanded: false,
    hidden: 0,
    row: node.kind === 'process' ? table.rows.get(node.pid)! : null,
    ghost: node.kind === 'ghost' ? table.ghosts.get(node.pid)! : null,
    exited: node.kind === 'exited' ? table.exited.get(id)!.child : null,
  };
}

/** How many nodes hang below `children`, at any depth, counting only the allowed ones. */
function descendants(shape: TreeShape, children: readonly NodeId[], allowed: Set<NodeId> | null): number {
  let count = 0;
  const stack = [...children];
  // Bounded by the node count, as the walk in `rows` is by its `seen`: a pid reused mid-sample cannot loop it.
  while (stack.length > 0 && count < shape.parentOf.size) {
    const id = stack.pop()!;
    count++;
    for (const below of shape.childrenOf.get(id) ?? NO_CHILDREN)
      if (!allowed || allowed.has(below)) stack.push(below);
  }
  return count;
}

export function rows({ shape, table, options }: RowsInputs): VisibleRow[] {
  const hidden = hiddenNodes(shape, options);
  const allowed = allowedNodes(shape, table, options, hidden);
  const shown = (id: NodeId) => !hidden.has(id) && (allowed === null || allowed.has(id));
  const out: VisibleRow[] = [];
  if (!options.tree) {
    const ids = (allowed ? [...allowed] : [...shape.parentOf.keys()]).filter((id) => !hidden.has(id));
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
    : (shape.childrenOf.get(null) ?? []).filter(shown);
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
    const children = allowed || hidden.size > 0 ? all.filter(shown) : all;
    visible.hasChildren = children.length > 0;
    visible.expanded = visible.hasChildren && (filtering || !options.collapsed.has(id));
    if (visible.hasChildren && !visible.expanded) visible.hidden = descendants(shape, children, allowed);
    out.push(visible);
    if (visible.expanded) {
      for (let i = children.length - 1; i >= 0; i--)
        stack.push({ id: children[i]!, depth: depth + 1, parent: id });
    }
  }
  return out;
}
