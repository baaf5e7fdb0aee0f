// The supervised children that no longer run, as tree nodes: each stays listed where it ran, with its
// exitcode, until it is removed (or runs again). The monitor forgets a process once it is gone; the
// Supervisor does not, so these come from the children store.
import { markRaw, shallowRef, watch } from 'vue';
import type { ChildInfo, ChildState } from '../../../shared/model';
import { useChildrenStore } from './children';
import { useProcessStore } from './processes';
import { useSettingsStore } from './settings';
import { exitedNode, type ExitedChild, type NodeId } from './tree-model';

const NOT_RUNNING: ReadonlySet<ChildState> = new Set(['exited', 'failed', 'fatal', 'backoff']);

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
      if (NOT_RUNNING.has(child.state) && !stillShown(child))
        next.set(nodeOf(child.id), { child, parent: home });
    }
    const same =
      next.size === nodes.size && [...next].every(([id, entry]) => nodes.get(id)?.child === entry.child);
    if (same && [...nodes.values()].every((entry) => entry.parent === home)) return;
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
