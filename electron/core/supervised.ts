// What the monitor needs to know of the supervisor to mark the tree: each child's ids and pids. The
// service, the metrics and the programs' tests all sample the same pair, so the mapping is written once.
import type { SupervisedInfo } from './monitor';
import type { Supervisor } from './supervisor';

export function supervisedOf(supervisor: Supervisor): () => SupervisedInfo[] {
  return () =>
    supervisor.children().map((child) => ({
      childId: child.id,
      name: child.name,
      daemon: child.daemon,
      pid: child.pid,
      guardPid: child.guardPid,
    }));
}
