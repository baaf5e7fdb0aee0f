// The set of supervised children: naming, one event stream for all of them, and the quit policy.
import { EventEmitter } from 'node:events';
import { CodedError } from '../../../shared/errors';
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

const DEFAULT_GRACE_MS = 5000;
/** How long shutdown('join') waits for non-daemon children before terminating them. */
const DEFAULT_JOIN_MS = 10_000;

let weakGuardWarned = false;

function warnWeakGuard(status: GuardStatus): void {
  if (weakGuardWarned) return;
  weakGuardWarned = true;
  console.warn(`[proctor] WEAK GUARD: ${status.reason}. Children may outlive the app if it is killed.`);
}

export class Supervisor extends EventEmitter {
  readonly #children = new Map<string, Child>();
  readonly #guard: GuardStatus;
  readonly #launcher: Launcher;
  readonly #graceMs: number;
  readonly #output: SupervisorOptions['output'];
  #created = 0;

  constructor(options: SupervisorOptions = {}) {
    super();
    this.#guard = resolveGuard(options.guardPath);
    if (this.#guard.kind === 'weak') warnWeakGuard(this.#guard);
    this.#launcher = launcherFor(this.#guard);
    this.#graceMs = options.defaultGraceMs ?? DEFAULT_GRACE_MS;
    this.#output = options.output;
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
    child.on('state', (info: ChildInfo) => this.emit('state', info));
    child.on('output', (line: OutputLine) => this.emit('output', child.id, line));
    child.on('exit', (info: ChildInfo) => this.emit('exit', info));
    child.on('stopTimeline', (event: StopTimelineEvent) => this.emit('stopTimeline', event));
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
    this.emit('removed', id);
  }

  /**
   * Python's exit: daemon children are terminated; the others are joined (up to `joinMs`, then
   * terminated) or terminated right away.
   */
  async shutdown(policy: 'join' | 'terminate', opts: { joinMs?: number } = {}): Promise<void> {
    const joinMs = opts.joinMs ?? DEFAULT_JOIN_MS;
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
