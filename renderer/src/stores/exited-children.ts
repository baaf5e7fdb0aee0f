// The supervised children that no longer run, as tree nodes: each stays listed where it ran, with its
// exitcode, until it is removed (or runs again). The monitor forgets a process once it is gone; the
// Supervisor does not, so these come from the children store.
import { markRaw, shallowRef, watch } from 'vue';
import type { ChildInfo } from '../../../shared/model';
import { childPhase, useChildrenStore } from './children';
import { useProcessStore } from './processes';
import { useSettingsStore } from './settings';
import { exitedNode, type ExitedChild, type NodeId } from './tree-model';

export function useExitedChildren() {
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

  /** Its process still shows until the monitor's next sample: one row at a time. */
  const stillShown = (child: ChildInfo) =>
    child.pid !== null && processes.rows.get(child.pid)?.marks.supervised?.childId === child.id;

  function rebuild(): void {
    const home = settings.appInfo?.pid ?? null;
    const next = new Map<NodeId, ExitedChild>();
    for (const child of children.children.values()) {
      if (childPhase(child.state) !== 'running' && !stillShown(child))
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
}
