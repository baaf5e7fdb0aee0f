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
  TreeSnapshot,
} from '../../../shared/model';
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
  snapshot(): TreeSnapshot;
  history(pid: number): ProcessHistory | null;
  recorded(summary: PostMortemSummary): void;
  failed(program: string, error: Error): void;
}

const OUTCOMES: Partial<Record<ChildState, PostMortemOutcome>> = { backoff: 'restarting', fatal: 'fatal' };

export class PostMortemRecorder {
  constructor(private readonly deps: RecorderDeps) {}

  /**
   * Called on an exit that was not asked for. What the monitor and the ring hold is taken at once;
   * the outcome is read a turn later, once the restart policy has decided. A clean exit 0 that does
   * not go fatal is a program finishing, not a death, and leaves no record.
   */
  exited(child: DeadChild): void {
    const info = child.info();
    const snapshot = this.deps.snapshot();
    const family = familyOf(snapshot, info.id);
    const draft = {
      info,
      lines: child.output.lines().slice(-POSTMORTEM_LINES),
      family,
      curve: this.#curve(family, snapshot.stats.intervalMs),
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

function familyOf(snapshot: TreeSnapshot, childId: string): PostMortemProcess[] {
  return snapshot.rows
    .filter((row) => row.marks.supervised?.childId === childId || row.marks.family === childId)
    .map(({ pid, ppid, name, cmd, cpuPct, rssBytes }) => ({ pid, ppid, name, cmd, cpuPct, rssBytes }));
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
