// What each supervised family used, from the rows and counters the monitor already has: CPU counted per
// tick (so an exiting member keeps what it spent), everything else added up only when Prometheus asks.
import type { TreeRow } from '../../../shared/model';
import { familyOf, type ProcessUsage } from '../monitor';
import type { FamilyMember } from './family-io';

/** The monitor as the meter sees it: the last tick's family rows, and each process's counters in it. */
export interface TickSource {
  familyRows(): readonly TreeRow[];
  usage(pid: number): ProcessUsage | undefined;
}

/** One family (a supervised child and its descendants) as of the last tick. */
export interface FamilyFigures {
  procs: number;
  threads: number;
  residentBytes: number;
  virtualBytes: number;
  /** Counters over the family's whole life under the meter: exited members keep what they spent. */
  userSeconds: number;
  systemSeconds: number;
}

/** A member's counters when last seen; `startedAt` tells it apart from a later owner of its pid. */
interface Member {
  startedAt: number;
  userSeconds: number;
  systemSeconds: number;
  /** The last tick that saw it: members not seen are forgotten after the tick. */
  seenAt: number;
}

/** The gauges of each family and its members, added up from one tick's rows. */
interface Census {
  gauges: Map<string, FamilyFigures>;
  members: Map<string, FamilyMember[]>;
}

/**
 * Adds up each family like process-exporter's groups: the gauges are the members of the last tick, the
 * CPU counters grow by each member's CPU since the tick before (a new member's whole CPU so far), so a
 * member that exits takes nothing away and a scrape never sees a counter go down. The CPU is the only
 * figure that needs every tick; it is counted in place, with no allocation of its own, because it runs
 * at every tick whether anyone scrapes or not. The gauges and the member lists are added up from the
 * last tick's rows when first asked for after it, at scrape time.
 */
export class FamilyMeter {
  /** CPU counters by family; the gauges of the census are filled in on top of them. */
  private readonly counters = new Map<string, { userSeconds: number; systemSeconds: number }>();
  private readonly members = new Map<number, Member>();
  private ticks = 0;
  private census: Census | null = null;

  constructor(private readonly source: TickSource) {}

  /** Call once after each tick. */
  record(): void {
    const tick = ++this.ticks;
    let seen = 0;
    for (const row of this.source.familyRows()) {
      const childId = familyOf(row);
      if (childId === undefined) continue;
      const usage = this.source.usage(row.pid);
      if (!usage) continue;
      seen++;
      let counters = this.counters.get(childId);
      if (!counters) this.counters.set(childId, (counters = { userSeconds: 0, systemSeconds: 0 }));
      let member = this.members.get(row.pid);
      if (member === undefined || member.startedAt !== row.startedAt) {
        member = { startedAt: row.startedAt, userSeconds: 0, systemSeconds: 0, seenAt: tick };
        this.members.set(row.pid, member);
      }
      // Counters never go down: a reading below the last one (it cannot happen for one process) adds nothing.
      counters.userSeconds += Math.max(0, usage.userSeconds - member.userSeconds);
      counters.systemSeconds += Math.max(0, usage.systemSeconds - member.systemSeconds);
      member.userSeconds = usage.userSeconds;
      member.systemSeconds = usage.systemSeconds;
      member.seenAt = tick;
    }
    // Only a tick in which a member went away pays for a sweep.
    if (this.members.size > seen) {
      for (const [pid, member] of this.members) if (member.seenAt !== tick) this.members.delete(pid);
    }
    this.census = null;
  }

  /** The members of each family in the last tick, for what is read only when Prometheus asks. */
  lastMembers(): ReadonlyMap<string, readonly FamilyMember[]> {
    return this.takeCensus().members;
  }

  /** The family of one supervised child; all zeros before its first member is seen. */
  get(childId: string): FamilyFigures {
    const figures = this.takeCensus().gauges.get(childId) ?? emptyFigures();
    const counters = this.counters.get(childId);
    if (counters) {
      figures.userSeconds = counters.userSeconds;
      figures.systemSeconds = counters.systemSeconds;
    }
    return figures;
  }

  /** Drops the families of children the supervisor no longer has. */
  keepOnly(childIds: ReadonlySet<string>): void {
    for (const id of this.counters.keys()) if (!childIds.has(id)) this.counters.delete(id);
  }

  /** One pass over the last tick's rows, once per tick at most, and only when asked. */
  private takeCensus(): Census {
    if (this.census) return this.census;
    const gauges = new Map<string, FamilyFigures>();
    const members = new Map<string, FamilyMember[]>();
    for (const row of this.source.familyRows()) {
      const childId = familyOf(row);
      if (childId === undefined) continue;
      const list = members.get(childId);
      if (list) list.push({ pid: row.pid, startedAt: row.startedAt });
      else members.set(childId, [{ pid: row.pid, startedAt: row.startedAt }]);
      let figures = gauges.get(childId);
      if (!figures) gauges.set(childId, (figures = emptyFigures()));
      figures.procs++;
      figures.threads += row.threads;
      figures.residentBytes += row.rssBytes;
      figures.virtualBytes += this.source.usage(row.pid)?.virtualBytes ?? 0;
    }
    return (this.census = { gauges, members });
  }
}

function emptyFigures(): FamilyFigures {
  return { procs: 0, threads: 0, residentBytes: 0, virtualBytes: 0, userSeconds: 0, systemSeconds: 0 };
}
