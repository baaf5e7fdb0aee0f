// The multiprocessing objects a family shares, from its members' shared mappings and pipe fds: every
// member that maps a semaphore or a shared-memory file holds that object; a Queue is a pipe plus the
// semaphores that guard it, held by the same processes.
import type { SharedObject, SharedObjectKind } from '../../../shared/model';
import type { SharedMapping } from '../monitor/readers/shared-maps';
import type { IpcEnd } from './fds';

/** Lock, RLock, Semaphore, Event, Condition: each one or more POSIX semaphores (sem_open → /dev/shm/sem.*). */
const SEMAPHORE = /^\/dev\/shm\/sem\./;
/** multiprocessing.heap's arenas, where Value and Array live: /dev/shm/pym-<pid>-<random>. */
const ARENA = /^\/dev\/shm\/pym-/;
/** shared_memory.SharedMemory's default names. */
const SHARED_MEMORY = /^\/dev\/shm\/psm_/;
/** glibc's sem_open maps a temporary `sem.XXXXXX` before it links the real name: the creator shows that one. */
const TEMPORARY_SEMAPHORE = /^\/dev\/shm\/sem\.[A-Za-z0-9]{6}$/;
/** A Queue's semaphores: its reader's and writer's Locks and its size's BoundedSemaphore (SimpleQueue: two). */
const QUEUE_SEMAPHORES = 3;

function kindOf(path: string): SharedObjectKind {
  if (SEMAPHORE.test(path)) return 'lock';
  if (ARENA.test(path)) return 'value';
  if (SHARED_MEMORY.test(path)) return 'shared-memory';
  return 'other';
}

const ascending = (pids: Iterable<number>): number[] => [...pids].sort((a, b) => a - b);
const sameHolders = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((pid, i) => pid === b[i]);

/**
 * `maps`: each member's shared mappings; `ends`: each member's pipe and socket fds; `foreign`: pipes
 * also held outside the family (output capture), which are no Queue.
 */
export function sharedObjects(
  maps: ReadonlyMap<number, readonly SharedMapping[]>,
  ends: ReadonlyMap<number, readonly IpcEnd[]>,
  foreign: ReadonlySet<string>,
): SharedObject[] {
  const mapped = new Map<string, { holders: Set<number>; names: Set<string> }>();
  for (const [pid, mappings] of maps) {
    for (const { key, path } of mappings) {
      let seen = mapped.get(key);
      if (!seen) mapped.set(key, (seen = { holders: new Set(), names: new Set() }));
      seen.holders.add(pid);
      seen.names.add(path);
    }
  }
  const objects: SharedObject[] = [];
  for (const [key, { holders, names }] of mapped) {
    if (holders.size < 2) continue;
    const all = [...names].sort();
    const name = all.find((n) => !TEMPORARY_SEMAPHORE.test(n)) ?? all[0]!;
    objects.push({ id: `shm:${key}`, kind: kindOf(name), name, holders: ascending(holders) });
  }
  const { found, taken } = queues(objects, ends, foreign);
  return [...found, ...objects.filter((o) => !taken.has(o.id))].sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Pipes that every holder has both ends of (a Queue's reader and writer travel together; a process's
 * sentinel pipes never do), with semaphores held by exactly the same processes. The ids of the
 * semaphores the Queues took come back as `taken`, so they are not drawn twice.
 */
function queues(
  objects: readonly SharedObject[],
  ends: ReadonlyMap<number, readonly IpcEnd[]>,
  foreign: ReadonlySet<string>,
): { found: SharedObject[]; taken: Set<string> } {
  const taken = new Set<string>();
  const pipes = new Map<number, Map<number, { read: boolean; write: boolean }>>();
  for (const [pid, list] of ends) {
    for (const end of list) {
      if (end.kind !== 'pipe' || foreign.has(`pipe:${end.inode}`)) continue;
      let byPid = pipes.get(end.inode);
      if (!byPid) pipes.set(end.inode, (byPid = new Map()));
      const mode = byPid.get(pid) ?? { read: false, write: false };
      byPid.set(pid, { read: mode.read || end.read, write: mode.write || end.write });
    }
  }
  const found: SharedObject[] = [];
  for (const [inode, byPid] of [...pipes].sort(([a], [b]) => a - b)) {
    if (byPid.size < 2 || ![...byPid.values()].every((mode) => mode.read && mode.write)) continue;
    const holders = ascending(byPid.keys());
    const guards = objects
      .filter((o) => o.kind === 'lock' && !taken.has(o.id) && sameHolders(o.holders, holders))
      .slice(0, QUEUE_SEMAPHORES);
    if (guards.length === 0) continue;
    for (const guard of guards) taken.add(guard.id);
    found.push({
      id: `queue:${inode}`,
      kind: 'queue',
      name: `pipe:[${inode}]`,
      holders,
      parts: guards.map((g) => g.name),
    });
  }
  return { found, taken };
}
