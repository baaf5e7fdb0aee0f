// Which pids a tick reads. Listing /proc costs ~5 ms at 5,000 processes, yet on a quiet machine nothing
// new appears between ticks: the kernel's most recently allocated pid (5th field of /proc/loadavg) moves
// with every fork and every new thread. While it stands still, last tick's live pids are the whole list:
// exits show up as failed reads, and nothing can have been added.
import { readdirSync } from 'node:fs';
import { readProcText } from './proc-file';

function lastAllocatedPid(): number | null {
  try {
    const field = readProcText('/proc/loadavg').trim().split(' ')[4];
    const pid = Number(field);
    return Number.isInteger(pid) ? pid : null;
  } catch {
    return null;
  }
}

function listProc(): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    const first = name.charCodeAt(0);
    if (first >= 0x30 && first <= 0x39) pids.push(Number(name));
  }
  return pids;
}

export class PidList {
  private lastPid: number | null = null;
  private live: number[] = [];

  /** The pids to read now: a fresh listing whenever a pid was allocated since the last one. */
  current(): readonly number[] {
    // Read before listing: a fork in between shows up in this listing and moves the pid for the next.
    const lastPid = lastAllocatedPid();
    if (lastPid === null || lastPid !== this.lastPid) this.live = listProc();
    this.lastPid = lastPid;
    return this.live;
  }

  /** The pids a tick found alive, which are the whole list while no pid is allocated. */
  keep(alive: number[]): void {
    this.live = alive;
  }
}
