// How the tree is looked at: expansion, sort, filter, search, focus, selection, and the visible rows
// that follow from them. Each step is a computed over exactly what it reads: the shape follows the
// tree's structure, the order follows the sort and the values it sorts by, and the rows follow the
// order and the options; a delta that only changed CPU and memory keeps the same rows and just
// repaints the ones on screen.
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef, watch } from 'vue';
import type { Settings } from '../../../shared/model';
import { describeNode, type NodeId } from '../tree/node-id';
import { matchedField, matchesQuery, rows, type TreeOptions, type VisibleRow } from '../tree/rows';
import { buildShape, parentsIn, sortedShape, type SortKey, type SortOrder } from '../tree/shape';
import { useChildrenStore } from './children';
import { useExitedStore } from './exited';
import { useProcessStore } from './processes';
import { useSettingsStore } from './settings';
import { loadViewPrefs, saveViewPrefs } from './view-prefs';

const NOTHING_FOLDED: ReadonlySet<NodeId> = new Set();
/** Numbers read best biggest-first; names and pids in their natural order. */
const NUMERIC_SORTS: ReadonlySet<SortKey> = new Set<SortKey>([
  'cpuPct',
  'rssBytes',
  'threads',
  'ioReadPerSec',
  'ioWritePerSec',
  'gpuPct',
]);

export const useViewStore = defineStore('view', () => {
  const processes = useProcessStore();
  const children = useChildrenStore();
  const exited = useExitedStore();
  const settings = useSettingsStore();
  const table = { rows: processes.rows, ghosts: processes.ghosts, exited: exited.nodes };

  const prefs = loadViewPrefs();
  const tree = ref(prefs.tree);
  const collapsed = shallowRef<ReadonlySet<NodeId>>(new Set());
  const sort = shallowRef<SortOrder>(prefs.sort);
  const filter = ref(prefs.filter);
  const search = ref('');
  const supervisedOnly = ref(prefs.supervisedOnly);
  watch([sort, filter, tree, supervisedOnly], () =>
    saveViewPrefs({
      sort: sort.value,
      filter: filter.value,
      tree: tree.value,
      supervisedOnly: supervisedOnly.value,
    }),
  );
  const focus = ref<NodeId | null>(null);
  const selected = ref<NodeId | null>(null);
  /** The supervised child behind the selection; it stays when the process exits, so its exit shows. */
  const selectedChild = ref<string | null>(null);
  /** Bumped when the selection should be scrolled into view (keys, search), not on every repaint. */
  const reveal = shallowRef(0);
  /** Rows that fit on screen, for PgUp/PgDn; the tree measures it. */
  const pageRows = ref(20);

  /** Who hangs under whom: rebuilt when a delta added, removed or moved a process, or a child exited. */
  const shape = computed(() => {
    void processes.structure;
    void exited.version;
    return markRaw(buildShape(table));
  });

  /** The tick the sorted column last changed at: a sort by CPU re-runs when CPU moved, one by pid never. */
  const sortedColumnVersion = computed(() => {
    void processes.tick;
    return processes.fieldVersion(sort.value.key);
  });

  /** The shape with its siblings in the sort's order. */
  const order = computed(() => {
    void sortedColumnVersion.value;
    return markRaw(sortedShape(shape.value, table, sort.value));
  });

  // The views kept in Settings (htop's `K`, only mine, one user's): shown at once, saved behind.
  const hideKernelThreads = ref(true);
  const onlyMine = ref(false);
  const userFilter = ref('');
  watch(
    () => settings.settings,
    (saved) => {
      if (!saved) return;
      hideKernelThreads.value = saved.hideKernelThreads;
      onlyMine.value = saved.onlyMine;
      userFilter.value = saved.userFilter;
    },
    { immediate: true },
  );
  function setViews(patch: Partial<Pick<Settings, 'hideKernelThreads' | 'onlyMine' | 'userFilter'>>): void {
    if (patch.hideKernelThreads !== undefined) hideKernelThreads.value = patch.hideKernelThreads;
    if (patch.onlyMine !== undefined) onlyMine.value = patch.onlyMine;
    if (patch.userFilter !== undefined) userFilter.value = patch.userFilter;
    void settings.update(patch);
  }
  /** Whose processes show: the backend's own user for "only mine" (its row says who it runs as). */
  const user = computed<string | null>(() => {
    if (onlyMine.value) {
      void processes.structure;
      const backend = settings.appInfo && processes.rows.get(settings.appInfo.pid);
      return backend?.user ?? null;
    }
    return userFilter.value || null;
  });

  const options = computed<TreeOptions>(() => ({
    hideKernelThreads: hideKernelThreads.value,
    user: user.value,
    tree: tree.value,
    collapsed: collapsed.value,
    filter: filter.value,
    supervisedOnly: supervisedOnly.value,
    focus: focus.value,
    sort: sort.value,
  }));

  /** A renamed process moves only under a filter (a sort by name follows it through `order`). */
  const filteredLabels = computed(() => (filter.value.trim() === '' ? -1 : processes.labels));

  const visible = computed<VisibleRow[]>(() => {
    void filteredLabels.value;
    return markRaw(rows({ shape: order.value, table, options: options.value }));
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
    void filteredLabels.value;
    const unfolded = rows({
      shape: order.value,
      table,
      options: { ...options.value, collapsed: NOTHING_FOLDED },
    });
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
    const node = describeNode(id);
    if (node.kind === 'exited') return exited.nodes.get(id)?.child.id ?? null;
    if (node.kind === 'ghost') return null;
    return processes.rows.get(node.pid)?.marks.supervised?.childId ?? null;
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

  // A selected child stays selected as it exits (its row turns into an exited row) and as it restarts
  // (its new process shows up under a new pid in a later sample).
  watch(
    () => [exited.version, processes.structure],
    () => {
      const childId = selectedChild.value;
      if (childId === null || selected.value === null) return;
      const child = children.children.get(childId);
      const now = nodeOfChild(childId, child?.pid ?? null);
      if (now !== null && now !== selected.value && !indexOf.value.has(selected.value)) selected.value = now;
    },
  );

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
    const { parentOf } = shape.value;
    for (let up = parentOf.get(id); up != null; up = parentOf.get(up)) next.delete(up);
    if (next.size !== collapsed.value.size) collapsed.value = next;
  }

  // Typing a search jumps to the first hit from the selection on, like htop's incremental search.
  watch(search, () => jumpToHit('here'), { flush: 'sync' });
  // A search that found nothing as it was typed jumps when its first hit appears: the holder of a port
  // is named by a later sample, a process matching the text may start after.
  watch(
    () => searchHits.value.length > 0,
    (found, before) => {
      if (found && !before) jumpToHit('here');
    },
  );

  /** Where the selected hit matched (its name, command line…), for the toolbar to say. */
  const hitField = computed(() => {
    const query = search.value.trim().toLowerCase();
    if (!query || selected.value === null || !searchHitSet.value.has(selected.value)) return null;
    return matchedField(selected.value, query, table);
  });

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
    collapsed.value = new Set(parentsIn(shape.value));
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
    const numeric = NUMERIC_SORTS.has(key);
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
    hideKernelThreads,
    onlyMine,
    userFilter,
    user,
    setViews,
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
    hitField,
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
