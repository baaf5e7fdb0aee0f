// One listing of a process's fds for every reader that needs them: its socket inodes (ports) and its
// /dev/dri fds (GPU). A listing is a readdir and a readlink per fd, so it is redone only for processes
// that may have run since (an fd opens or closes only by the process running). The app's own scan skips
// the /proc fds the monitor keeps: thousands of readlinks that could never find a socket. A listing
// the same as the last one keeps the last links: a browser or a language server holds hundreds of fds
// and runs every second, but rarely opens or closes one. Where the kernel says how many fds a process
// has (the size of /proc/PID/fd, Linux 6.2 on), an unchanged count spares the listing too: listing
// 5,000 fds is a dentry made for each.
import { readdirSync, readlinkSync, statSync } from 'node:fs';
import type { IoUnreadable } from '../../../../shared/columns';
import { isKeptProcFd } from '../kept-fds';
import { unreadableOf } from './unreadable';

export interface FdScan {
  sockets: number[];
  /** fd numbers of /dev/dri devices, whose fdinfo has the DRM keys. */
  dri: number[];
  /** The network namespace (`net:[4026531840]`), whose socket tables hold its sockets. */
  netns: string;
  /** The fd numbers as listed, in the kernel's order. */
  listing: string[];
}

const SOCKET = /^socket:\[(\d+)\]$/;

/**
 * The fds of `pid`. With `previous` (its last scan), as many fds as then, or a listing of the same fd
 * numbers, returns it as it was, without a readlink: only an fd closed while another opened in between
 * goes unseen, which is why the caller leaves `previous` out now and then.
 */
export function scanFds(
  pid: number,
  proc = '/proc',
  previous: FdScan | null = null,
): FdScan | { unreadable: IoUnreadable } {
  if (previous && fdCount(pid, proc) === previous.listing.length) return previous;
  let fds: string[];
  try {
    fds = readdirSync(`${proc}/${pid}/fd`);
  } catch (error) {
    return { unreadable: unreadableOf(error) };
  }
  if (previous && sameListing(previous.listing, fds)) return previous;
  const scan: FdScan = { sockets: [], dri: [], netns: '', listing: fds };
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

function sameListing(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** How many fds `pid` has, from the size of its fd folder; -1 where the kernel does not say (before 6.2). */
function fdCount(pid: number, proc: string): number {
  try {
    const { size } = statSync(`${proc}/${pid}/fd`);
    // Older kernels say 0, and a made-up folder (the tests') its size in bytes: neither is a count.
    return size > 0 && proc === '/proc' ? size : -1;
  } catch {
    return -1;
  }
}
