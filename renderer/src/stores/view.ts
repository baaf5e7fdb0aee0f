// How the tree is looked at: expansion, sort, filter, search, focus, selection, and the visible rows
// that follow from them. The visible list is rebuilt only when one of its inputs moved; a delta that
// only changed CPU and memory keeps the same list and just repaints the rows on screen.
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef, watch } from 'vue';
import { useChildrenStore } from './children';
import { useExitedChildren } from './exited-children';
import { useProcessStore } from './processes';
import {
  buildShape,
  flatten,
  ghostNode,
  isExitedNode,
  isGhostNode,
  matchesQuery,
  parentsIn,
  sortShape,
  type NodeId,
  type SortKey,
  type SortOrder,
  type TreeOptions,
  type TreeShape,
  type VisibleRow,
} from './tree-model';

const NOTHING_FOLDED: ReadonlySet<NodeId> = new Set();

export const useViewStore = defineStore('view', () => {
  const processes = useProcessStore();
  const children = useChildrenStore();
  const exited = useExitedChildren();
  const table = { rows: processes.rows, ghosts: processes.ghosts, exited: exited.nodes };

  const tree = ref(true);
  const collapsed = shallowRef<ReadonlySet<NodeId>>(new Set());
  const sort = shallowRef<SortOrder>({ key: 'pid', descending: false });
  const filter = ref('');
  const search = ref('');
  const supervisedOnly = ref(false);
  const focus = ref<NodeId | null>(null);
  const selected = ref<NodeId | null>(null);
  /** The supervised child behind the selection; it stays when the process exits, so its exit shows. */
  const selectedChild = ref<string | null>(null);
  /** Bumped when the selection should be scrolled into view (keys, search), not on every repaint. */
  const reveal = shallowRef(0);
  /** Rows that fit on screen, for PgUp/PgDn; the tree measures it. */
  const pageRows = ref(20);

  let shape: TreeShape = { parentOf: new Map(), childrenOf: new Map() };
  let shapeFor = { structure: -1, exited: -1 };
  let sortedFor: { sort: SortOrder; tick: number } | null = null;
  let labelsFor = -1;
  let last: { inputs: unknown[]; rows: VisibleRow[] } | null = null;

  const currentOptions = (): TreeOptions => ({
    tree: tree.value,
    collapsed: collapsed.value,
    filter: filter.value,
    supervisedOnly: supervisedOnly.value,
    focus: focus.value,
    sort: sort.value,
  });

  const visible = computed<VisibleRow[]>(() => {
    const structure = { structure: processes.structure, exited: exited.version.value };
    const tick = processes.tick;
    const inputs = [tree.value, collapsed.value, filter.value, supervisedOnly.value, focus.value, sort.value];
    let dirty = last === null || inputs.some((input, i) => input !== last!.inputs[i]);
    // A renamed process moves only under a filter (or a sort by name, below).
    const labels = processes.labels;
    if (labels !== labelsFor) {
      labelsFor = labels;
      if (filter.value.trim() !== '') dirty = true;
    }
    if (structure.structure !== shapeFor.structure || structure.exited !== shapeFor.exited) {
      shape = buildShape(table);
      shapeFor = structure;
      sortedFor = null;
      dirty = true;
    }
    const resort =
      sortedFor === null ||
      sortedFor.sort !== sort.value ||
      (sortedFor.tick !== tick && processes.lastChangedFields().has(sort.value.key));
    if (resort) {
      sortShape(shape, table, sort.value);
      sortedFor = { sort: sort.value, tick };
      dirty = true;
    }
    if (!dirty && last) return last.rows;
    const rows = markRaw(flatten(shape, table, currentOptions()));
    last = { inputs, rows };
    return rows;
  });

  const indexOf = computed(() => {
    const index = new Map<NodeId, number>();
    visible.value.forEach((row, i) => index.set(row.id, i));
    return index;
  });

  const selectedIndex = computed(() =>
    selected.value === null ? -1 : (indexOf.value.get(selected.value) ?? -1),
  );

  /**
   * Where search looks: the display order with every fold open, so a search finds what a fold hides
   * and opens the way to it (htop's search sees only what is on screen). Built only while searching.
   */
  const unfoldedOrder = computed<Map<NodeId, number>>(() => {
    if (!search.value.trim()) return new Map();
    // Read so the order follows structure, sort and filter; `visible` also brings `shape` up to date.
    void visible.value;
    const unfolded = flatten(shape, table, { ...currentOptions(), collapsed: NOTHING_FOLDED });
    return new Map(unfolded.map((node, i) => [node.id, i]));
  });

  /** Every hit, in display order. */
  const searchHits = computed<NodeId[]>(() => {
    const query = search.value.trim().toLowerCase();
    if (!query) return [];
    void processes.labels;
    return [...unfoldedOrder.value.keys()].filter((id) => matchesQuery(id, query, table));
  });
  const searchHitSet = computed(() => new Set(searchHits.value));

  function childBehind(id: NodeId): string | null {
    if (isExitedNode(id)) return exited.nodes.get(id)?.child.id ?? null;
    if (isGhostNode(id)) return null;
    return processes.rows.get(id)?.marks.supervised?.childId ?? null;
  }

  function select(id: NodeId | null, scroll = false): void {
    selected.value = id;
    selectedChild.value = id === null ? null : childBehind(id);
    if (scroll) reveal.value++;
  }

  /** The node a supervised child shows as now: its live process, or its exited row. */
  function nodeOfChild(childId: string, pid: number | null): NodeId | null {
    if (pid !== null && processes.rows.has(pid)) return pid;
    const node = exited.nodeOf(childId);
    return exited.nodes.has(node) ? node : pid;
  }

  function selectChild(childId: string, pid: number | null): void {
    selected.value = nodeOfChild(childId, pid);
    selectedChild.value = childId;
    reveal.value++;
  }

  // A selected child stays selected as it exits (its row turns into an exited row) and as it restarts.
  watch(exited.version, () => {
    const childId = selectedChild.value;
    if (childId === null || selected.value === null) return;
    const child = children.children.get(childId);
    const now = nodeOfChild(childId, child?.pid ?? null);
    if (now !== null && now !== selected.value && !indexOf.value.has(selected.value)) selected.value = now;
  });

  function selectIndex(index: number): void {
    const rows = visible.value;
    if (rows.length === 0) return;
    const clamped = Math.max(0, Math.min(rows.length - 1, index));
    select(rows[clamped]!.id, true);
  }

  function moveBy(step: number): void {
    selectIndex(selectedIndex.value < 0 ? 0 : selectedIndex.value + step);
  }

  /**
   * Jumps to the first hit at or after the selection (`from: 'next'` skips the selection itself),
   * unfolding its ancestors when a fold hides it.
   */
  function jumpToHit(from: 'here' | 'next'): void {
    const hits = searchHits.value;
    if (hits.length === 0) return;
    const order = unfoldedOrder.value;
    const at = selected.value === null ? -1 : (order.get(selected.value) ?? -1);
    const start = at + (from === 'next' ? 1 : 0);
    const target = hits.find((id) => order.get(id)! >= start) ?? hits[0]!;
    unfoldTo(target);
    select(target, true);
  }

  /** Opens every folded ancestor of `id`, so it shows. */
  function unfoldTo(id: NodeId): void {
    const next = new Set(collapsed.value);
    for (let up = shape.parentOf.get(id); up != null; up = shape.parentOf.get(up)) next.delete(up);
    if (next.size !== collapsed.value.size) collapsed.value = next;
  }

  // Typing a search jumps to the first hit from the selection on, like htop's incremental search.
  watch(search, () => jumpToHit('here'), { flush: 'sync' });

  const searchPosition = computed(() => {
    const at = selected.value === null ? -1 : searchHits.value.indexOf(selected.value);
    return at + 1;
  });

  function setCollapsed(id: NodeId, fold: boolean): void {
    if (collapsed.value.has(id) === fold) return;
    const next = new Set(collapsed.value);
    if (fold) next.add(id);
    else next.delete(id);
    collapsed.value = next;
  }

  function toggle(id: NodeId): void {
    setCollapsed(id, !collapsed.value.has(id));
  }

  function expandAll(): void {
    collapsed.value = new Set();
  }

  function collapseAll(): void {
    collapsed.value = new Set(parentsIn(shape));
  }

  /** htop's Left: fold an open node, else step to its parent. */
  function left(): void {
    const row = visible.value[selectedIndex.value];
    if (!row) return;
    if (row.expanded) setCollapsed(row.id, true);
    else if (row.parent !== null) select(row.parent, true);
  }

  /** htop's Right: open a folded node, else step to its first child. */
  function right(): void {
    const row = visible.value[selectedIndex.value];
    if (!row?.hasChildren) return;
    if (!row.expanded) setCollapsed(row.id, false);
    else selectIndex(selectedIndex.value + 1);
  }

  function sortBy(key: SortKey): void {
    const current = sort.value;
    // Numbers read best biggest-first; names and pids in their natural order.
    const numeric = key === 'cpuPct' || key === 'rssBytes' || key === 'threads';
    sort.value =
      current.key === key ? { key, descending: !current.descending } : { key, descending: numeric };
  }

  function focusSelected(): void {
    focus.value = focus.value === null ? selected.value : null;
    reveal.value++;
  }

  return {
    tree,
    collapsed,
    sort,
    filter,
    search,
    supervisedOnly,
    focus,
    selected,
    selectedChild,
    reveal,
    pageRows,
    visible,
    indexOf,
    selectedIndex,
    searchHits,
    searchHitSet,
    searchPosition,
    select,
    selectChild,
    selectIndex,
    moveBy,
    jumpToHit,
    toggle,
    expandAll,
    collapseAll,
    left,
    right,
    sortBy,
    focusSelected,
  };
});

export { ghostNode, isGhostNode };
export type { NodeId, SortKey, VisibleRow };
