// One listing of a process's fds for every reader that needs them: its socket inodes (ports) and its
// /dev/dri fds (GPU). A listing is a readdir and a readlink per fd, so it is redone only for processes
// that may have run since (an fd opens or closes only by the process running). The app's own scan skips
// the /proc fds the monitor keeps: thousands of readlinks that could never find a socket.
import { readdirSync, readlinkSync } from 'node:fs';
import type { IoUnreadable } from '../../../../shared/columns';
import { isKeptProcFd } from '../kept-fds';
import { unreadableOf } from './unreadable';

export interface FdScan {
  sockets: number[];
  /** fd numbers of /dev/dri devices, whose fdinfo has the DRM keys. */
  dri: number[];
  /** The network namespace (`net:[4026531840]`), whose socket tables hold its sockets. */
  netns: string;
}

const SOCKET = /^socket:\[(\d+)\]$/;

export function scanFds(pid: number, proc = '/proc'): FdScan | { unreadable: IoUnreadable } {
  let fds: string[];
  try {
    fds = readdirSync(`${proc}/${pid}/fd`);
  } catch (error) {
    return { unreadable: unreadableOf(error) };
  }
  const scan: FdScan = { sockets: [], dri: [], netns: '' };
  const self = pid === process.pid && proc === '/proc';
  for (const fd of fds) {
    if (self && isKeptProcFd(Number(fd))) continue;
    let link: string;
    try {
      link = readlinkSync(`${proc}/${pid}/fd/${fd}`);
    } catch (error) {
      // Root without CAP_SYS_PTRACE may list another user's fds but not read one of them (the kernel
      // asks for ptrace rights per process, not per fd): say so once rather than fail at each fd.
      if (unreadableOf(error) === 'EACCES') return { unreadable: 'EACCES' };
      continue; // closed under us
    }
    const socket = SOCKET.exec(link);
    if (socket) scan.sockets.push(Number(socket[1]));
    else if (link.startsWith('/dev/dri/')) scan.dri.push(Number(fd));
  }
  try {
    scan.netns = readlinkSync(`${proc}/${pid}/ns/net`);
  } catch {
    // Ours to list fds but not to see its namespace: the host's tables are the best guess.
  }
  return scan;
}
