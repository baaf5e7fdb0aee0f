// The set of supervised children: naming, one event stream for all of them, and the quit policy.
import { CodedError } from '../../../shared/errors';
import { GRACE_MS, QUIT_JOIN_MS } from '../../../shared/limits';
import { Listeners } from '../../../shared/listeners';
import type { ChildInfo, ChildSpec, OutputLine, StopTimelineEvent } from '../../../shared/model';
import { Child } from './child';
import { launcherFor, resolveGuard, type GuardStatus } from './guard';
import type { Launcher } from './launch';

export interface SupervisorOptions {
  /** Default: PROCTOR_GUARD, else native/build/proctor-guard found from this module or the cwd. */
  guardPath?: string;
  defaultGraceMs?: number;
  output?: { maxLines?: number; maxBytes?: number };
}

let weakGuardWarned = false;

function warnWeakGuard(status: GuardStatus): void {
  if (weakGuardWarned) return;
  weakGuardWarned = true;
  console.warn(`[proctor] WEAK GUARD: ${status.reason}. Children may outlive the app if it is killed.`);
}

/** Every child's events, in one stream, each naming its child. */
export interface SupervisorEvents {
  state: ChildInfo;
  output: { id: string; line: OutputLine };
  exit: ChildInfo;
  stopTimeline: StopTimelineEvent;
  /** The id of a child taken off the list. */
  removed: string;
}

export class Supervisor {
  readonly #events = new Listeners<SupervisorEvents>();
  readonly #children = new Map<string, Child>();
  readonly #guard: GuardStatus;
  readonly #launcher: Launcher;
  readonly #graceMs: number;
  readonly #output: SupervisorOptions['output'];
  #created = 0;

  constructor(options: SupervisorOptions = {}) {
    this.#guard = resolveGuard(options.guardPath);
    if (this.#guard.kind === 'weak') warnWeakGuard(this.#guard);
    this.#launcher = launcherFor(this.#guard);
    this.#graceMs = options.defaultGraceMs ?? GRACE_MS.default;
    this.#output = options.output;
  }

  on<E extends keyof SupervisorEvents>(
    name: E,
    listener: (payload: SupervisorEvents[E]) => void,
  ): () => void {
    return this.#events.on(name, listener);
  }

  /** A child in state `created`; named `Process-N` unless the spec names it, like Python. */
  create(spec: ChildSpec): Child {
    const n = ++this.#created;
    const child = new Child({
      id: `c${n}`,
      name: spec.name ?? `Process-${n}`,
      spec,
      launcher: this.#launcher,
      graceMs: this.#graceMs,
      output: this.#output,
    });
    child.on('state', (info) => this.#events.emit('state', info));
    child.on('output', (line) => this.#events.emit('output', { id: child.id, line }));
    child.on('exit', (info) => this.#events.emit('exit', info));
    child.on('stopTimeline', (event) => this.#events.emit('stopTimeline', event));
    this.#children.set(child.id, child);
    return child;
  }

  /** Resolves once the child is running or has failed to start (see `child.error`). */
  async start(spec: ChildSpec): Promise<Child> {
    const child = this.create(spec);
    await child.start();
    return child;
  }

  children(): Child[] {
    return [...this.#children.values()];
  }

  get(id: string): Child | undefined {
    return this.#children.get(id);
  }

  remove(id: string): void {
    const child = this.#children.get(id);
    if (!child) throw new CodedError('E_NO_SUCH_CHILD', `there is no supervised child with id ${id}`);
    if (child.isAlive() || child.state === 'backoff') {
      throw new CodedError('E_STATE', `child ${id} is ${child.state}: terminate it before removing it`);
    }
    this.#children.delete(id);
    this.#events.emit('removed', id);
  }

  /**
   * Python's exit: daemon children are terminated; the others are joined (up to `joinMs`, then
   * terminated) or terminated right away.
   */
  async shutdown(policy: 'join' | 'terminate', opts: { joinMs?: number } = {}): Promise<void> {
    const joinMs = opts.joinMs ?? QUIT_JOIN_MS.default;
    await Promise.all(
      this.children().map(async (child) => {
        if (policy === 'join' && !child.daemon) await child.join(joinMs);
        await child.terminate();
      }),
    );
  }

  guardStatus(): GuardStatus {
    return { ...this.#guard };
  }
}
