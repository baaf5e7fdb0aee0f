import type { Ghost, ProcessMarks, ProcessRow, TreeRow } from '../../../shared/model';
import { sameMarks } from './delta';
import { descendants, type Forest } from './tree';

/** What the Supervisor knows of one child, asked once per tick. */
export interface SupervisedInfo {
  childId: string;
  name: string;
  daemon: boolean;
  pid: number | null;
  guardPid: number | null;
}

export interface Classified {
  /** The forest it was given, its rows now marked. */
  forest: Forest<TreeRow>;
  ghosts: Ghost[];
}

/** Something remembered about one process; `startedAt` tells it apart from a later owner of its pid. */
interface Remembered<T> {
  startedAt: number;
  value: T;
}

/**
 * A copy of a row as the source gives it and the classifier marks it, to change: the columns add their
 * fields to it. A literal, not a spread or Object.assign: V8 gave every spread copy a hidden class of its
 * own once the columns added to it, and Object.assign's copies keep their fields out of the object: with
 * every column shown at +1,000 processes, a tick cost 7.8 and 1.7 times the CPU.
 */
export function copyRow(row: TreeRow): TreeRow {
  const { pid, ppid, name, cmd, state, threads, rssBytes, cpuPct, uid, user, startedAt, pgid, marks } = row;
  return { pid, ppid, name, cmd, state, threads, rssBytes, cpuPct, uid, user, startedAt, pgid, marks };
}

/** The family a row belongs to: the id of the supervised child it is or descends from; else undefined. */
export function familyOf(row: TreeRow): string | undefined {
  return row.marks.supervised?.childId ?? row.marks.family;
}

const DEFAULT_MAX_GHOSTS = 1024;
// Most rows carry no mark: they share one frozen empty object rather than a new one each a tick.
const NO_MARKS: ProcessMarks = Object.freeze({});

/**
 * Marks each tick's rows with what the Supervisor knows and what the last tick showed. It keeps
 * state between ticks: family membership (so a member re-parented to init or the guard stays in its
 * family), orphans, and ghosts of dead parents — each only while the processes it is about live.
 */
export class Classifier {
  private readonly family = new Map<number, Remembered<string>>();
  private readonly orphans = new Map<number, Remembered<number>>();
  private readonly ghosts = new Map<number, Ghost>();
  private previous = new Map<number, ProcessRow>();

  /** Ghosts are also bounded by the living orphans; this cap only guards against a pathological flood. */
  constructor(private readonly maxGhosts = DEFAULT_MAX_GHOSTS) {}

  /**
   * Marks the forest's rows and returns the forest as one of tree rows. A row new from the source is
   * marked in place (a copy of every row each tick would only feed the garbage collector); one it gave
   * again keeps the marks of its first tick while they still hold, and is replaced by a marked copy when
   * they do not.
   */
  classify(forest: Forest, supervised: readonly SupervisedInfo[], at: number): Classified {
    const byPid = forest.byPid;
    forgetDead(this.family, byPid);
    forgetDead(this.orphans, byPid);

    const marks = new Map<number, ProcessMarks>();
    const markOf = (pid: number): ProcessMarks => {
      let found = marks.get(pid);
      if (!found) marks.set(pid, (found = {}));
      return found;
    };

    // Seeds of families: each supervised child, the guard's other children (orphans of the family
    // re-parented to the guard, a subreaper), and every member remembered from earlier ticks.
    const seeds: Array<{ pid: number; childId: string }> = [];
    for (const info of supervised) {
      const guarded = info.guardPid !== null && byPid.has(info.guardPid);
      const guardKids = guarded ? (forest.children.get(info.guardPid!) ?? []) : [];
      // Until the guard reports the program's pid, its one child is the program: it forks once first.
      const program = info.pid ?? (guardKids.length === 1 ? guardKids[0]! : null);
      if (guarded) {
        markOf(info.guardPid!).guard = true;
        for (const kid of guardKids) {
          if (kid === program) continue;
          this.joinFamily(byPid.get(kid)!, info.childId, markOf);
          seeds.push({ pid: kid, childId: info.childId });
        }
      }
      if (program !== null && byPid.has(program)) {
        markOf(program).supervised = { childId: info.childId, name: info.name, daemon: info.daemon };
        seeds.push({ pid: program, childId: info.childId });
      }
    }
    for (const [pid, member] of this.family) {
      this.joinFamily(byPid.get(pid)!, member.value, markOf);
      seeds.push({ pid, childId: member.value });
    }
    for (const seed of seeds) {
      for (const pid of descendants(forest, seed.pid)) this.joinFamily(byPid.get(pid)!, seed.childId, markOf);
    }

    for (const [pid, mark] of marks) {
      if (mark.family !== undefined || mark.supervised !== undefined)
        this.noticeOrphan(byPid.get(pid)!, byPid, at);
    }
    for (const [pid, orphan] of this.orphans) markOf(pid).orphan = { ghostPid: orphan.value };
    this.dropUnneededGhosts();

    const order = forest.order as TreeRow[];
    for (let i = 0; i < order.length; i++) {
      const row = order[i]!;
      const zombie = row.state === 'Z';
      const mark = marks.get(row.pid) ?? (zombie ? {} : NO_MARKS);
      if (zombie) mark.zombie = true;
      // Marks already on a row show the source gave it again: it comes back unchanged, so it is copied.
      if ((row.marks as ProcessMarks | undefined) === undefined) row.marks = mark;
      else if (!sameMarks(row.marks, mark)) {
        const copy = copyRow(row);
        copy.marks = mark;
        byPid.set(row.pid, (order[i] = copy));
      }
    }
    this.previous = byPid;
    // Every row of the forest was marked just above.
    return { forest: forest as Forest<TreeRow>, ghosts: [...this.ghosts.values()] };
  }

  private joinFamily(row: ProcessRow, childId: string, markOf: (pid: number) => ProcessMarks): void {
    const mark = markOf(row.pid);
    if (mark.supervised || mark.guard || mark.family !== undefined) return;
    mark.family = childId;
    if (!this.family.has(row.pid)) this.family.set(row.pid, { startedAt: row.startedAt, value: childId });
  }

  /** A member whose ppid changed since the last tick lost its parent: the kernel re-parents only then. */
  private noticeOrphan(row: ProcessRow, byPid: Map<number, ProcessRow>, at: number): void {
    const before = this.previous.get(row.pid);
    if (!before || before.startedAt !== row.startedAt || before.ppid === row.ppid) return;
    const parent = this.previous.get(before.ppid);
    const now = byPid.get(before.ppid);
    // The kernel re-parents children when their parent exits, so a parent still listed only as an
    // unreaped zombie is already dead to them.
    const parentLives = now && now.state !== 'Z' && (!parent || now.startedAt === parent.startedAt);
    if (parentLives) return;

    this.orphans.set(row.pid, { startedAt: row.startedAt, value: before.ppid });
    if (!this.ghosts.has(before.ppid)) {
      this.ghosts.set(before.ppid, {
        pid: before.ppid,
        ppid: parent?.ppid ?? 0,
        name: parent?.name ?? '',
        cmd: parent?.cmd ?? '',
        diedAt: at,
      });
    }
  }

  private dropUnneededGhosts(): void {
    const wanted = new Set<number>();
    for (const orphan of this.orphans.values()) wanted.add(orphan.value);
    for (const pid of this.ghosts.keys()) if (!wanted.has(pid)) this.ghosts.delete(pid);
    // Map order is insertion order, so the first keys are the oldest deaths.
    for (const pid of this.ghosts.keys()) {
      if (this.ghosts.size <= this.maxGhosts) break;
      this.ghosts.delete(pid);
    }
  }
}

function forgetDead<T>(memory: Map<number, Remembered<T>>, alive: Map<number, ProcessRow>): void {
  for (const [pid, entry] of memory) {
    if (alive.get(pid)?.startedAt !== entry.startedAt) memory.delete(pid);
  }
}
