// Which pids a tick reads. Listing /proc costs ~5 ms at 5,000 processes, yet on a quiet machine nothing
// appears or goes between ticks. /proc/loadavg says when something may have: its 5th field, the kernel's
// most recently allocated pid, moves with every fork and every new thread, and the total of its 4th, the
// threads there are, with every exit once reaped. While both stand still, last tick's live pids are the
// whole list. (Exits also show as failed reads, but a quiet process is not read every tick: see ProcSource.)
import { readdirSync } from 'node:fs';
import { readProcText } from './proc-file';

/** The last allocated pid and the number of threads, as one mark; null when /proc/loadavg cannot be read. */
function tableMark(): string | null {
  try {
    const fields = readProcText('/proc/loadavg').trim().split(' ');
    const threads = fields[3]?.split('/')[1];
    const pid = fields[4];
    return threads === undefined || pid === undefined ? null : `${pid} ${threads}`;
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
  private lastMark: string | null = null;
  private live: number[] = [];

  /** The pids to read now: a fresh listing whenever a pid was allocated or a thread reaped since the last. */
  current(): readonly number[] {
    // Read before listing: a fork or exit in between shows in this listing and moves the mark for the next.
    const mark = tableMark();
    if (mark === null || mark !== this.lastMark) this.live = listProc();
    this.lastMark = mark;
    return this.live;
  }

  /** The pids a tick found alive, which are the whole list while nothing is allocated or reaped. */
  keep(alive: number[]): void {
    this.live = alive;
  }
}
