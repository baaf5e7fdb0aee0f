// A post-mortem of an exit nobody asked for: the last lines, the family as the monitor last saw it,
// the family's CPU and RSS over the last two minutes, and what followed (restart, fatal, stopped).
import type {
  ChildInfo,
  ChildState,
  OutputLine,
  PostMortem,
  PostMortemCurve,
  PostMortemOutcome,
  PostMortemProcess,
  PostMortemSummary,
  ProcessHistory,
  TreeRow,
} from '../../../shared/model';
import { familyOf } from '../monitor';
import { exitWords } from './exit-words';
import { postMortemId, type PostMortemStore } from './postmortem-store';

export const POSTMORTEM_LINES = 200;
export const POSTMORTEM_CURVE_MS = 120_000;

/** What the recorder needs of a child: its info now, its last lines, and its state a moment later. */
export interface DeadChild {
  info(): ChildInfo;
  readonly state: ChildState;
  readonly output: { lines(since?: number, limit?: number): OutputLine[] };
}

export interface RecorderDeps {
  store: PostMortemStore;
  /** The last tick's rows of the supervised families: read after every tick, so not a whole snapshot. */
  familyRows(): readonly TreeRow[];
  intervalMs(): number;
  history(pid: number): ProcessHistory | null;
  recorded(summary: PostMortemSummary): void;
  failed(program: string, error: Error): void;
}

const OUTCOMES: Partial<Record<ChildState, PostMortemOutcome>> = { backoff: 'restarting', fatal: 'fatal' };

export class PostMortemRecorder {
  /** Each child's family as the last tick that saw the child alive found it. */
  readonly #families = new Map<string, PostMortemProcess[]>();

  constructor(private readonly deps: RecorderDeps) {}

  /**
   * After each monitor tick. The tick that follows a death may come before the exit is reported, and
   * no longer shows the dead: the family at the moment of death is the one kept from the tick before.
   */
  sampled(): void {
    const families = new Map<string, PostMortemProcess[]>();
    const alive = new Set<string>();
    for (const row of this.deps.familyRows()) {
      const childId = familyOf(row);
      if (childId === undefined) continue;
      if (row.marks.supervised) alive.add(childId);
      const { pid, ppid, name, cmd, cpuPct, rssBytes } = row;
      const members = families.get(childId) ?? [];
      members.push({ pid, ppid, name, cmd, cpuPct, rssBytes });
      families.set(childId, members);
    }
    for (const childId of alive) this.#families.set(childId, families.get(childId)!);
  }

  /**
   * Called on every exit; one that was asked for (terminate, kill, stop, quit) leaves no record.
   * What the monitor and the ring hold is taken at once;
   * the outcome is read a turn later, once the restart policy has decided. A clean exit 0 that does
   * not go fatal is a program finishing, not a death, and leaves no record.
   */
  exited(child: DeadChild, requested: boolean): void {
    const info = child.info();
    const family = this.#families.get(info.id) ?? [];
    this.#families.delete(info.id);
    if (requested) return;
    const draft = {
      info,
      lines: child.output.lines().slice(-POSTMORTEM_LINES),
      family,
      curve: this.#curve(family, this.deps.intervalMs()),
    };
    setImmediate(() => {
      const outcome = OUTCOMES[child.state] ?? 'stopped';
      if (info.exitcode === 0 && outcome !== 'fatal') return;
      const record = recordOf(draft, outcome);
      this.deps.store.save(record).then(
        (summary) => this.deps.recorded(summary),
        (error: Error) => this.deps.failed(info.name, error),
      );
    });
  }

  /** The family's CPU% and RSS summed per tick, aligned on the newest sample, over the last two minutes. */
  #curve(family: PostMortemProcess[], intervalMs: number): PostMortemCurve {
    const samples = Math.ceil(POSTMORTEM_CURVE_MS / intervalMs);
    const cpuPct = new Array<number>(samples).fill(0);
    const rssBytes = new Array<number>(samples).fill(0);
    let longest = 0;
    for (const member of family) {
      const history = this.deps.history(member.pid);
      if (!history) continue;
      const n = Math.min(samples, history.cpuPct.length);
      longest = Math.max(longest, n);
      for (let i = 1; i <= n; i++) {
        cpuPct[samples - i]! += history.cpuPct[history.cpuPct.length - i]!;
        rssBytes[samples - i]! += history.rssBytes[history.rssBytes.length - i]!;
      }
    }
    const round = (value: number): number => Math.round(value * 10) / 10;
    return {
      intervalMs,
      cpuPct: cpuPct.slice(samples - longest).map(round),
      rssBytes: rssBytes.slice(samples - longest),
    };
  }
}

function recordOf(
  draft: { info: ChildInfo; lines: OutputLine[]; family: PostMortemProcess[]; curve: PostMortemCurve },
  outcome: PostMortemOutcome,
): PostMortem {
  const { info } = draft;
  const at = info.exitedAt ?? Date.now();
  return {
    id: postMortemId(at, info.id),
    program: info.name,
    childId: info.id,
    at,
    exitcode: info.exitcode,
    reason: exitWords(info.exitcode),
    outcome,
    restarts: info.restarts,
    command: info.spec.command,
    args: info.spec.args,
    lines: draft.lines,
    family: draft.family,
    curve: draft.curve,
  };
}
