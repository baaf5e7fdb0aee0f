// Which unix socket is connected to which. /proc has no peer for a socket; the kernel's sock_diag does,
// and `ss -x` (iproute2) asks it in one netlink dump (~3 ms here) instead of a scan of every process.
import { execFile } from 'node:child_process';

/** local inode → peer inode; empty when `ss` is missing (the graph then shows shared inodes only). */
export type PeerMap = ReadonlyMap<number, number>;

const SS_TIMEOUT_MS = 2000;
// The last two columns are `peer-address peer-inode`, after `local-address local-inode`.
const ROW = /\s(\d+)\s+\S+\s+(\d+)\s*$/;

let ssMissing = false;

export function parseSsUnix(output: string): Map<number, number> {
  const peers = new Map<number, number>();
  for (const line of output.split('\n')) {
    const match = ROW.exec(line);
    if (!match) continue;
    const local = Number(match[1]);
    const peer = Number(match[2]);
    if (local > 0 && peer > 0) peers.set(local, peer);
  }
  return peers;
}

export function unixPeers(): Promise<PeerMap> {
  if (ssMissing) return Promise.resolve(new Map());
  return new Promise((resolve) => {
    execFile('ss', ['-xH'], { timeout: SS_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') ssMissing = true;
        resolve(new Map());
        return;
      }
      resolve(parseSsUnix(stdout));
    });
  });
}
