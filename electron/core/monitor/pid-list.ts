// Which pids a tick reads. Listing /proc costs 5–10 ms at 5,000 processes, yet few pids are new between
// two ticks: the kernel's most recently allocated pid (5th field of /proc/loadavg) moves with every fork
// and every new thread, and pids are handed out upwards. While it stands still, last tick's live pids
// are the whole list; when it has moved a little, only the pids allocated since are looked at (a
// process's, or a thread's, which is left out). Exits show up as failed reads either way.
import { existsSync, readdirSync } from 'node:fs';
import { readProcText } from './proc-file';

/**
 * Looking at one pid (an access, and for a live one its status) costs as much as listing some
 * sixteen: beyond that many new pids per listed one, /proc is listed instead.
 */
const LOOK_COST_IN_ENTRIES = 16;
/** A listing at least this often all the same: a pid given out below the last one (clone3's set_tid, a namespace's own pids) shows within it. */
const LIST_EVERY_TICKS = 60;

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

/**
 * Whether `pid` is a live process (a thread group's leader): /proc/TID answers for any thread too,
 * though listing /proc shows only leaders, and only a leader's status says its own pid is its Tgid.
 */
function isProcess(pid: number): boolean {
  if (!existsSync(`/proc/${pid}`)) return false;
  try {
    return /^Tgid:\s*(\d+)$/m.exec(readProcText(`/proc/${pid}/status`))?.[1] === String(pid);
  } catch {
    return false;
  }
}

export class PidList {
  private lastPid: number | null = null;
  private live: number[] = [];
  private ticksSinceListing = 0;

  /** The pids to read now: last tick's, and any process started since. */
  current(): readonly number[] {
    // Read before looking: a fork in between shows up now or moves the pid for the next call.
    const lastPid = lastAllocatedPid();
    const before = this.lastPid;
    this.lastPid = lastPid;
    const allocated = lastPid !== null && before !== null ? lastPid - before : -1;
    if (
      allocated < 0 ||
      allocated * LOOK_COST_IN_ENTRIES > this.live.length ||
      ++this.ticksSinceListing >= LIST_EVERY_TICKS
    ) {
      this.ticksSinceListing = 0;
      this.live = listProc();
    } else if (allocated > 0) {
      // The last listing may have caught a fork after its pid mark: such a pid is already here.
      const seen = new Set<number>();
      for (const pid of this.live) if (pid > before!) seen.add(pid);
      for (let pid = before! + 1; pid <= lastPid!; pid++)
        if (!seen.has(pid) && isProcess(pid)) this.live.push(pid);
    }
    return this.live;
  }

  /** The pids a tick found alive, which are the whole list while no pid is allocated. */
  keep(alive: number[]): void {
    this.live = alive;
  }
}
