// The tree's optional columns (issue 19): which the user may choose, and the views that hide rows. The
// backend runs a column's reader only while the column is shown, so the choice lives in Settings.

/** The optional columns, in the order the tree shows them after the fixed ones. */
export const OPTIONAL_COLUMNS = ['ioRead', 'ioWrite', 'ports', 'gpu', 'cgroup', 'nice', 'mpRole'] as const;
export type OptionalColumn = (typeof OPTIONAL_COLUMNS)[number];

/** Why a process's disk figures are not shown: see readers/io.ts. */
export type IoUnreadable = 'EACCES' | 'ENOENT' | 'ENOTSUP';

/** A process's part in Python's multiprocessing (readers/mp-role.ts). */
export type MpRole =
  'main' | 'spawn-child' | 'fork-child' | 'forkserver' | 'forkserver-child' | 'resource-tracker' | 'manager';

/** kthreadd: the parent of every kernel thread (htop's `K` hides them). */
export const KTHREADD = 2;

export function isKernelThread(row: { pid: number; ppid: number }): boolean {
  return row.pid === KTHREADD || row.ppid === KTHREADD;
}

/** `:8080` → 8080: the "who holds this port" search; null when the text is not one. */
export function portQuery(text: string): number | null {
  const found = /^:(\d{1,5})$/.exec(text.trim());
  if (!found) return null;
  const port = Number(found[1]);
  return port > 0 && port < 65536 ? port : null;
}

/** Whether a row's `ports` text (`tcp:8000 udp:53`) holds `port`. */
export function holdsPort(ports: string | null | undefined, port: number): boolean {
  if (!ports) return false;
  return ports.split(' ').some((entry) => entry.slice(entry.indexOf(':') + 1) === String(port));
}
