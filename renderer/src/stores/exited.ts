// The supervised children that no longer run, as tree nodes: each stays listed where it ran, with its
// exitcode, until it is removed (or runs again). The monitor forgets a process once it is gone; the
// Supervisor does not, so these come from the children store.
import { defineStore } from 'pinia';
import { markRaw, shallowRef, watch } from 'vue';
import { childPhase } from '../model/child-phase';
import { useChildrenStore } from './children';
import { useProcessStore } from './processes';
import { useSettingsStore } from './settings';
import { exitedNode, type NodeId } from '../tree/node-id';
import type { ExitedChild } from '../tree/shape';

export const useExitedStore = defineStore('exited', () => {
  const children = useChildrenStore();
  const processes = useProcessStore();
  const settings = useSettingsStore();
  const nodes = markRaw(new Map<NodeId, ExitedChild>());
  /** Bumped whenever `nodes` changed. */
  const version = shallowRef(0);
  const serials = new Map<string, number>();

  function nodeOf(childId: string): NodeId {
    let serial = serials.get(childId);
    if (serial === undefined) serials.set(childId, (serial = serials.size));
    return exitedNode(serial);
  }

  /**
   * The children a process row still stands for: until the monitor's next sample drops a process that
   * has exited, its row is the child's one row (one row per child, never a live row and an exited one).
   */
  function shownChildren(): Set<string> {
    const shown = new Set<string>();
    for (const row of processes.rows.values())
      if (row.marks.supervised) shown.add(row.marks.supervised.childId);
    return shown;
  }

  function rebuild(): void {
    const home = settings.appInfo?.pid ?? null;
    const shown = shownChildren();
    const next = new Map<NodeId, ExitedChild>();
    for (const child of children.children.values()) {
      if (childPhase(child.state) !== 'running' && !shown.has(child.id))
        next.set(nodeOf(child.id), { child, parent: home });
    }
    const unchanged =
      next.size === nodes.size &&
      [...next].every(([id, entry]) => {
        const now = nodes.get(id);
        return now?.child === entry.child && now.parent === entry.parent;
      });
    if (unchanged) return;
    nodes.clear();
    for (const [id, entry] of next) nodes.set(id, entry);
    version.value++;
  }

  watch(
    [() => processes.structure, () => [...children.children.values()], () => settings.appInfo?.pid],
    rebuild,
    { immediate: true, flush: 'sync' },
  );

  return { nodes, version, nodeOf };
});
