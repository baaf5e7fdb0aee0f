// Open files and disk I/O of each supervised family, read at scrape time for the family members of the
// last tick only: two small reads a member (/proc/PID/io, the /proc/PID/fd listing), never a pass over
// the machine, and at most FAMILY_IO_MAX_MEMBERS members a scrape.
import { readdirSync, statSync, statfsSync } from 'node:fs';
import { readIo } from '../monitor/readers/io';

/**
 * A scrape reads no more members than this. Families with more members in all are read in turns, the
 * next slice at each scrape: every figure stays a member's latest reading, and the counters still only
 * grow, but a member's share can be some scrapes old.
 */
export const FAMILY_IO_MAX_MEMBERS = 256;

export interface FamilyMember {
  pid: number;
  startedAt: number;
}

export interface FamilyIoFigures {
  /** Open file descriptors of the members that could be listed; null when none could. */
  openFds: number | null;
  /** Counters over the family's life under the meter (null when no member's /proc/PID/io was readable). */
  readBytes: number | null;
  writeBytes: number | null;
}

/** A member's latest reading; `startedAt` tells it apart from a later owner of its pid. */
interface Reading {
  startedAt: number;
  fds: number | null;
  io: { readBytes: number; writeBytes: number } | null;
}

/** The kernel's magic number for procfs (statfs f_type). */
const PROC_SUPER_MAGIC = 0x9fa0;
/** By /proc root: whether it is procfs, whose fd folders (Linux 6.2 on) give their count as their size. */
const sizedRoots = new Map<string, boolean>();

function sized(proc: string): boolean {
  let known = sizedRoots.get(proc);
  if (known === undefined) {
    try {
      known = statfsSync(proc).type === PROC_SUPER_MAGIC;
    } catch {
      known = false;
    }
    sizedRoots.set(proc, known);
  }
  return known;
}

/**
 * Open file descriptors of `pid`; null when its fd folder cannot be read. One stat instead of a listing
 * where the kernel counts them (a listing of a backend with thousands of pipes took most of a scrape);
 * older kernels say 0 there and get the listing.
 */
export function openFds(pid: number, proc = '/proc'): number | null {
  const dir = `${proc}/${pid}/fd`;
  try {
    const size = sized(proc) ? statSync(dir).size : 0;
    if (size > 0) return size;
    // Listing its own folder, a process counts the descriptor the listing holds open (in the real
    // /proc only: a made-up one has no descriptors behind its files).
    return readdirSync(dir).length - (pid === process.pid && proc === '/proc' ? 1 : 0);
  } catch {
    // Gone since the tick, or not ours to list: the family's figure leaves it out.
    return null;
  }
}

/**
 * Like FamilyMeter's CPU counters: a member's reading adds what it read and wrote since its reading
 * before (a new member's whole count), so a member that exits takes nothing away and the counters only
 * grow. A family whose members' I/O is unreadable (another user's, a kernel without task accounting)
 * has no figure rather than a 0.
 */
export class FamilyIo {
  private readonly totals = new Map<string, { readBytes: number; writeBytes: number }>();
  private readings = new Map<number, Reading>();
  /** Where the next scrape's slice starts, when the members are more than one scrape reads. */
  private next = 0;

  constructor(private readonly proc = '/proc') {}

  read(families: ReadonlyMap<string, readonly FamilyMember[]>): Map<string, FamilyIoFigures> {
    let total = 0;
    for (const list of families.values()) total += list.length;
    const count = Math.min(total, FAMILY_IO_MAX_MEMBERS);
    const start = total > count ? this.next % total : 0;
    this.next = start + count;
    // The members whose place, counted from `start` round the end, falls in this scrape's slice.
    let index = 0;
    for (const [childId, list] of families) {
      for (const member of list) {
        if ((index - start + total) % total < count) this.readOne(childId, member);
        index++;
      }
    }
    // Members gone from the tick are forgotten; what they read and wrote stays in their family's totals.
    const kept = new Map<number, Reading>();
    const figures = new Map<string, FamilyIoFigures>();
    for (const [childId, list] of families) {
      let fds: number | null = null;
      for (const { pid, startedAt } of list) {
        const reading = this.readings.get(pid);
        if (reading?.startedAt !== startedAt) continue;
        kept.set(pid, reading);
        if (reading.fds !== null) fds = (fds ?? 0) + reading.fds;
      }
      const total = this.totals.get(childId);
      figures.set(childId, {
        openFds: fds,
        readBytes: total?.readBytes ?? null,
        writeBytes: total?.writeBytes ?? null,
      });
    }
    this.readings = kept;
    return figures;
  }

  /** Drops the totals of children the supervisor no longer has. */
  keepOnly(childIds: ReadonlySet<string>): void {
    for (const id of this.totals.keys()) if (!childIds.has(id)) this.totals.delete(id);
  }

  private readOne(childId: string, { pid, startedAt }: FamilyMember): void {
    const before = this.readings.get(pid);
    const since = before?.startedAt === startedAt ? before.io : null;
    const io = readIo(pid, this.proc);
    const counters = io.ok ? io.counters : null;
    // An unreadable moment keeps the last counters, so the next readable one adds only what is new.
    this.readings.set(pid, { startedAt, fds: openFds(pid, this.proc), io: counters ?? since });
    if (!counters) return;
    let total = this.totals.get(childId);
    if (!total) this.totals.set(childId, (total = { readBytes: 0, writeBytes: 0 }));
    total.readBytes += Math.max(0, counters.readBytes - (since?.readBytes ?? 0));
    total.writeBytes += Math.max(0, counters.writeBytes - (since?.writeBytes ?? 0));
  }
}
