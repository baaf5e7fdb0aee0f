import type { ProcessMarks, TreeDelta, TreeRow } from '../../../shared/model';

export type RowChanges = Pick<TreeDelta, 'added' | 'changed' | 'removed'>;

/** The optional columns' fields: absent when not read, sent as null when they stop being read. */
export const OPTIONAL_FIELDS = [
  'ioReadPerSec',
  'ioWritePerSec',
  'unreadable',
  'ports',
  'connections',
  'gpuPct',
  'gpuMemBytes',
  'cgroup',
  'cgroupPath',
  'nice',
  'priority',
  'mpRole',
] as const satisfies ReadonlyArray<keyof TreeRow>;

// Every field but pid (the key) and startedAt (a different start time is a different process).
const FIELDS = [
  'ppid',
  'name',
  'cmd',
  'state',
  'threads',
  'rssBytes',
  'cpuPct',
  'uid',
  'user',
  'pgid',
  ...OPTIONAL_FIELDS,
] as const satisfies ReadonlyArray<keyof TreeRow>;

/**
 * What changed from one tick's rows to the next: new rows whole, changed rows as their changed
 * fields only, gone pids. A reused pid (same pid, new start time) is a removal plus an addition,
 * so a consumer applies `removed` before `added`.
 */
export function diffRows(
  before: ReadonlyMap<number, TreeRow>,
  after: readonly TreeRow[],
  afterByPid: ReadonlyMap<number, TreeRow>,
): RowChanges {
  const added: TreeRow[] = [];
  const changed: TreeDelta['changed'] = [];
  const removed: number[] = [];
  for (const row of after) {
    const old = before.get(row.pid);
    if (!old || old.startedAt !== row.startedAt) {
      if (old) removed.push(row.pid);
      added.push(row);
      continue;
    }
    // The source's row given again and nothing changed it (a change is made on a copy).
    if (old === row) continue;
    let change: TreeDelta['changed'][number] | null = null;
    if (mayDiffer(old, row)) {
      for (const key of FIELDS) {
        // JSON drops undefined: a field no longer read goes as null, so the window clears it.
        if (old[key] !== row[key]) setField((change ??= { pid: row.pid }), key, row[key] ?? null);
      }
    }
    if (!sameMarks(old.marks, row.marks)) (change ??= { pid: row.pid }).marks = row.marks;
    if (change) changed.push(change);
  }
  for (const pid of before.keys()) if (!afterByPid.has(pid)) removed.push(pid);
  return { added, changed, removed };
}

/**
 * Whether a field of two rows of one process may differ; false for most rows of a tick, which have
 * not run. Written out field by field (FIELDS, as the delta test checks): V8 makes these reads fast,
 * where a loop over key names costs a lookup by name per field, 100,000 of them a tick at 5,000 processes.
 */
function mayDiffer(a: TreeRow, b: TreeRow): boolean {
  return (
    a.cpuPct !== b.cpuPct ||
    a.rssBytes !== b.rssBytes ||
    a.state !== b.state ||
    a.ppid !== b.ppid ||
    a.threads !== b.threads ||
    a.name !== b.name ||
    a.cmd !== b.cmd ||
    a.uid !== b.uid ||
    a.user !== b.user ||
    a.pgid !== b.pgid ||
    a.ioReadPerSec !== b.ioReadPerSec ||
    a.ioWritePerSec !== b.ioWritePerSec ||
    a.unreadable !== b.unreadable ||
    a.ports !== b.ports ||
    a.connections !== b.connections ||
    a.gpuPct !== b.gpuPct ||
    a.gpuMemBytes !== b.gpuMemBytes ||
    a.cgroup !== b.cgroup ||
    a.cgroupPath !== b.cgroupPath ||
    a.nice !== b.nice ||
    a.priority !== b.priority ||
    a.mpRole !== b.mpRole
  );
}

function setField<K extends keyof TreeRow>(target: Partial<TreeRow>, key: K, value: TreeRow[K]): void {
  target[key] = value;
}

export function sameMarks(a: ProcessMarks, b: ProcessMarks): boolean {
  return (
    a.family === b.family &&
    a.guard === b.guard &&
    a.zombie === b.zombie &&
    a.orphan?.ghostPid === b.orphan?.ghostPid &&
    a.supervised?.childId === b.supervised?.childId &&
    a.supervised?.name === b.supervised?.name &&
    a.supervised?.daemon === b.supervised?.daemon
  );
}
