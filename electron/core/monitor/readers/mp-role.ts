// A Python process's part in multiprocessing, told from command lines and the process tree: the start
// methods leave recognisable commands (CPython's multiprocessing/spawn.py, forkserver.py,
// resource_tracker.py), and a Manager's server is the one listening on a `pymp-*/listener-*` socket.

import type { MpRole } from '../../../../shared/columns';

export type { MpRole };

export interface MpProcess {
  pid: number;
  ppid: number;
  cmd: string;
  /** Paths of the unix sockets it listens on (from the sockets reader), when known. */
  unixListening?: readonly string[];
}

const SPAWN = /\s-c\s+from multiprocessing\.spawn import spawn_main; spawn_main\(/;
const FORKSERVER = /\s-c\s+from multiprocessing\.forkserver import main; main\(/;
const TRACKER = /\s-c\s+from multiprocessing\.resource_tracker import main;\s*main\(/;
/** multiprocessing.connection's arbitrary_address for AF_UNIX: listener-XXXX in its pymp-XXXX temp dir. */
const MANAGER_LISTENER = /\/pymp-[^/]+\/listener-[^/]+$/;
const PYTHON = /(^|\/)python[\d.]*(\s|$)/;

/** What a process's own command line says, before its sockets and its place in the tree are looked at. */
function commandRole(cmd: string): MpRole | null {
  if (TRACKER.test(cmd)) return 'resource-tracker';
  if (FORKSERVER.test(cmd)) return 'forkserver';
  if (SPAWN.test(cmd)) return 'spawn-child';
  return null;
}

/** A Manager's server listens on a pymp listener; so does the fork server (for its requests), told apart by its command. */
function listensLikeManager(process: MpProcess): boolean {
  return process.unixListening?.some((path) => MANAGER_LISTENER.test(path)) ?? false;
}

/**
 * Every process's role, by pid (processes with none are left out). A fork server's children and a fork
 * child run their parent's command line unchanged, so they are told by their parent; the main program
 * is the Python process the others descend from without a role of its own.
 */
export function mpRoles(processes: readonly MpProcess[]): Map<number, MpRole> {
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  const roles = new Map<number, MpRole>();
  for (const process of processes) {
    const own = commandRole(process.cmd);
    const parent = byPid.get(process.ppid);
    // The fork server's children keep its command line: the one whose parent says the same is a child.
    const forkedByServer =
      own === 'forkserver' && parent !== undefined && commandRole(parent.cmd) === 'forkserver';
    if (forkedByServer) roles.set(process.pid, listensLikeManager(process) ? 'manager' : 'forkserver-child');
    else if (own === 'forkserver' || own === 'resource-tracker') roles.set(process.pid, own);
    else if (listensLikeManager(process)) roles.set(process.pid, 'manager');
    else if (own) roles.set(process.pid, own);
  }
  for (const process of processes) {
    if (roles.has(process.pid)) continue;
    const parent = byPid.get(process.ppid);
    if (!parent) continue;
    if (roles.get(parent.pid) === 'forkserver') roles.set(process.pid, 'forkserver-child');
    else if (PYTHON.test(process.cmd) && process.cmd === parent.cmd) roles.set(process.pid, 'fork-child');
  }
  for (const process of processes) {
    if (!roles.has(process.pid) || roles.get(process.pid) === 'forkserver-child') continue;
    // Up through the roles to the first ancestor without one: the program that started it all.
    let at = byPid.get(process.ppid);
    while (at && roles.has(at.pid) && roles.get(at.pid) !== 'main') at = byPid.get(at.ppid);
    if (at && !roles.has(at.pid) && PYTHON.test(at.cmd)) roles.set(at.pid, 'main');
  }
  return roles;
}
