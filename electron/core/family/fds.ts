// The IPC ends one process holds: its pipe and socket fds, read from /proc/PID/fd and fdinfo.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export type IpcKind = 'pipe' | 'socket';

export interface IpcEnd {
  kind: IpcKind;
  inode: number;
  /** The fd is open for reading (pipes: the read end; sockets: always). */
  read: boolean;
  /** The fd is open for writing (pipes: the write end; sockets: always). */
  write: boolean;
}

const LINK = /^(pipe|socket):\[(\d+)\]$/;
const FLAGS = /^flags:\s*([0-7]+)$/m;
const O_ACCMODE = 0o3;
const O_WRONLY = 0o1;
const O_RDWR = 0o2;

/**
 * The pipe and socket fds of one process, or null when it is gone or not ours to read. Only pipes
 * need fdinfo: its `flags:` (octal) say which end the fd is. Each fd may close under us; it is skipped.
 */
export function readIpcEnds(pid: number, withDirection = true): IpcEnd[] | null {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return null;
  }
  const ends: IpcEnd[] = [];
  for (const fd of fds) {
    let link: string;
    try {
      link = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    const match = LINK.exec(link);
    if (!match) continue;
    const kind = match[1] as IpcKind;
    const inode = Number(match[2]);
    if (kind === 'socket' || !withDirection) {
      ends.push({ kind, inode, read: true, write: true });
      continue;
    }
    const mode = pipeMode(pid, fd);
    if (mode) ends.push({ kind, inode, ...mode });
  }
  return ends;
}

function pipeMode(pid: number, fd: string): { read: boolean; write: boolean } | null {
  let info: string;
  try {
    info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'latin1');
  } catch {
    return null;
  }
  const flags = FLAGS.exec(info);
  if (!flags) return { read: true, write: true };
  const access = parseInt(flags[1]!, 8) & O_ACCMODE;
  return { read: access !== O_WRONLY, write: access === O_WRONLY || access === O_RDWR };
}
