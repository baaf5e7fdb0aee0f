// Open files and disk I/O of each supervised family, read at scrape time for the family members of the
// last tick only: two small reads a member (/proc/PID/io, the /proc/PID/fd listing), never a pass over
// the machine, and at most FAMILY_IO_MAX_MEMBERS members a scrape.
import { readdirSync } from 'node:fs';
import { readIo } from '../monitor/readers/io';

/** A scrape reads no more members than this, however large the families grow. */
export const FAMILY_IO_MAX_MEMBERS = 2000;

export interface FamilyMember {
  pid: number;
  startedAt: number;
}

export interface FamilyIoFigures {
  /** Open file descriptors of the members that could be listed; null when none could. */
  openFds: number | null;
  /** Counters over the family's life under the meter (null when no member's /proc/PID/io is readable). */
  readBytes: number | null;
  writeBytes: number | null;
}

interface Seen {
  startedAt: number;
  readBytes: number;
  writeBytes: number;
}

function openFds(pid: number, proc: string): number | null {
  try {
    return readdirSync(`${proc}/${pid}/fd`).length;
  } catch {
    // Gone since the tick, or not ours to list: the family's figure leaves it out.
    return null;
  }
}

/**
 * Like FamilyMeter's CPU counters: each scrape adds what every member read and wrote since the scrape
 * before (a new member's whole count), so a member that exits takes nothing away and the counters only
 * grow. A family whose members' I/O is unreadable (another user's, a kernel without task accounting)
 * has no figure rather than a 0.
 */
export class FamilyIo {
  private readonly totals = new Map<string, { readBytes: number; writeBytes: number }>();
  private seen = new Map<number, Seen>();

  constructor(private readonly proc = '/proc') {}

  read(families: ReadonlyMap<string, readonly FamilyMember[]>): Map<string, FamilyIoFigures> {
    const figures = new Map<string, FamilyIoFigures>();
    const seen = new Map<number, Seen>();
    let budget = FAMILY_IO_MAX_MEMBERS;
    for (const [childId, members] of families) {
      let fds: number | null = null;
      let total = this.totals.get(childId) ?? null;
      for (const member of members) {
        if (budget-- <= 0) break;
        const count = openFds(member.pid, this.proc);
        if (count !== null) fds = (fds ?? 0) + count;
        const io = readIo(member.pid, this.proc);
        if (!io.ok) continue;
        const before = this.seen.get(member.pid);
        const same = before !== undefined && before.startedAt === member.startedAt;
        total ??= { readBytes: 0, writeBytes: 0 };
        total.readBytes += Math.max(0, io.counters.readBytes - (same ? before.readBytes : 0));
        total.writeBytes += Math.max(0, io.counters.writeBytes - (same ? before.writeBytes : 0));
        seen.set(member.pid, { startedAt: member.startedAt, ...io.counters });
      }
      if (total) this.totals.set(childId, total);
      figures.set(childId, {
        openFds: fds,
        readBytes: total?.readBytes ?? null,
        writeBytes: total?.writeBytes ?? null,
      });
    }
    this.seen = seen;
    return figures;
  }

  /** Drops the totals of children the supervisor no longer has. */
  keepOnly(childIds: ReadonlySet<string>): void {
    for (const id of this.totals.keys()) if (!childIds.has(id)) this.totals.delete(id);
  }
}
