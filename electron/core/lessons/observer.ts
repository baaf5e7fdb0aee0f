// What the monitor saw of one lesson's family, tick by tick: the evidence the checks judge.
import type { Ghost, TreeSnapshot } from '../../../shared/model';
import { familyMembers } from '../family';

export interface SeenRow {
  pid: number;
  ppid: number;
  name: string;
  /** The kernel's state letter (Z for a zombie). */
  state: string;
  /** Set when the monitor marked it an orphan: the pid of the parent it lost. */
  orphanOf?: number;
}

export interface Tick {
  at: number;
  rows: ReadonlyMap<number, SeenRow>;
  ghosts: readonly Ghost[];
}

export class FamilyObserver {
  private readonly recorded: Tick[] = [];

  constructor(private readonly childId: string) {}

  record(snapshot: Pick<TreeSnapshot, 'at' | 'rows' | 'ghosts'>): void {
    const { rows, ghosts } = familyMembers(snapshot, this.childId);
    const seen = new Map<number, SeenRow>();
    for (const row of rows) {
      const orphanOf = row.marks.orphan?.ghostPid;
      seen.set(row.pid, {
        pid: row.pid,
        ppid: row.ppid,
        name: row.name,
        state: row.state,
        ...(orphanOf !== undefined && { orphanOf }),
      });
    }
    this.recorded.push({ at: snapshot.at, rows: seen, ghosts });
  }

  observed(): Observed {
    return new Observed([...this.recorded]);
  }
}

/** Questions the checks ask of the ticks. */
export class Observed {
  constructor(readonly ticks: readonly Tick[]) {}

  rowsOf(pid: number): SeenRow[] {
    return this.ticks.flatMap((tick) => tick.rows.get(pid) ?? []);
  }

  find(test: (tick: Tick) => boolean): Tick | undefined {
    return this.ticks.find(test);
  }

  /** Every pid ever seen with `ppid` as its parent. */
  childrenOf(ppid: number): Set<number> {
    const pids = new Set<number>();
    for (const tick of this.ticks)
      for (const row of tick.rows.values()) if (row.ppid === ppid) pids.add(row.pid);
    return pids;
  }

  /** The most of `pids` alive (present and not zombies) in one tick. */
  mostAliveTogether(pids: readonly number[]): number {
    let most = 0;
    for (const tick of this.ticks) {
      const alive = pids.filter((pid) => {
        const row = tick.rows.get(pid);
        return row !== undefined && row.state !== 'Z';
      }).length;
      most = Math.max(most, alive);
    }
    return most;
  }
}
