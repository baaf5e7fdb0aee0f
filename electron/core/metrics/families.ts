// What each supervised family used, per tick, from the rows and counters the monitor already has.
import type { TreeRow } from '../../../shared/model';
import type { ProcessUsage } from '../monitor';
import type { FamilyMember } from './family-io';

/** The monitor as the meter sees it: the last tick's rows, and each process's counters in it. */
export interface TickSource {
  lastRows(): readonly TreeRow[];
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
}

/**
 * Adds up each family per tick, like process-exporter's groups: the gauges are the members of the last
 * tick, the CPU counters grow by each member's CPU since the tick before (a new member's whole CPU so
 * far), so a member that exits takes nothing away and a scrape never sees a counter go down. One pass
 * over the tick's rows; members carry their family in their marks, everyone else is skipped at once.
 */
export class FamilyMeter {
  private readonly families = new Map<string, FamilyFigures>();
  private members = new Map<number, Member>();
  private byFamily = new Map<string, FamilyMember[]>();

  constructor(private readonly source: TickSource) {}

  /** Call once after each tick. */
  record(): void {
    for (const figures of this.families.values()) {
      figures.procs = 0;
      figures.threads = 0;
      figures.residentBytes = 0;
      figures.virtualBytes = 0;
    }
    const seen = new Map<number, Member>();
    const byFamily = new Map<string, FamilyMember[]>();
    for (const row of this.source.lastRows()) {
      const childId = row.marks.supervised?.childId ?? row.marks.family;
      if (childId === undefined) continue;
      const members = byFamily.get(childId);
      if (members) members.push({ pid: row.pid, startedAt: row.startedAt });
      else byFamily.set(childId, [{ pid: row.pid, startedAt: row.startedAt }]);
      const figures = this.family(childId);
      figures.procs++;
      figures.threads += row.threads;
      figures.residentBytes += row.rssBytes;
      const usage = this.source.usage(row.pid);
      if (!usage) continue;
      figures.virtualBytes += usage.virtualBytes;
      const before = this.members.get(row.pid);
      const same = before !== undefined && before.startedAt === row.startedAt;
      // Counters never go down: a reading below the last one (it cannot happen for one process) adds nothing.
      figures.userSeconds += Math.max(0, usage.userSeconds - (same ? before.userSeconds : 0));
      figures.systemSeconds += Math.max(0, usage.systemSeconds - (same ? before.systemSeconds : 0));
      seen.set(row.pid, {
        startedAt: row.startedAt,
        userSeconds: usage.userSeconds,
        systemSeconds: usage.systemSeconds,
      });
    }
    this.members = seen;
    this.byFamily = byFamily;
  }

  /** The members of each family in the last tick, for what is read only when Prometheus asks. */
  lastMembers(): ReadonlyMap<string, readonly FamilyMember[]> {
    return this.byFamily;
  }

  /** The family of one supervised child; all zeros before its first member is seen. */
  get(childId: string): FamilyFigures {
    return this.families.get(childId) ?? emptyFigures();
  }

  /** Drops the families of children the supervisor no longer has. */
  keepOnly(childIds: ReadonlySet<string>): void {
    for (const id of this.families.keys()) if (!childIds.has(id)) this.families.delete(id);
  }

  private family(childId: string): FamilyFigures {
    let figures = this.families.get(childId);
    if (!figures) this.families.set(childId, (figures = emptyFigures()));
    return figures;
  }
}

function emptyFigures(): FamilyFigures {
  return { procs: 0, threads: 0, residentBytes: 0, virtualBytes: 0, userSeconds: 0, systemSeconds: 0 };
}
