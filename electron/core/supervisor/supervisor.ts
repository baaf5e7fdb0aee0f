// The set of supervised children: naming, one event stream for all of them, and the quit policy.
import { CodedError } from '../../../shared/errors';
import { GRACE_MS, KEEP_EXITED, QUIT_JOIN_MS } from '../../../shared/limits';
import { Listeners } from '../../../shared/listeners';
import type { ChildInfo, ChildSpec, ChildState, PrunedChild, StopTimelineEvent } from '../../../shared/model';
import { Child, type ChildExit } from './child';
import type { OutputBlock } from './output';
import { launcherFor, resolveGuard, type GuardStatus } from './guard';
import type { Launcher } from './launch';

export interface SupervisorOptions {
  /** Default: PROCTOR_GUARD, else native/build/proctor-guard found from this module or the cwd. */
  guardPath?: string;
  defaultGraceMs?: number;
  output?: { maxLines?: number; maxBytes?: number };
  keepExited?: KeepExited;
}

/** How many exited or failed children stay listed: the last `perName` of each name, `total` in all. */
export interface KeepExited {
  perName: number;
  total: number;
}

/** Settled for good: not alive, and no restart pending. */
const SETTLED_STATES: ReadonlySet<ChildState> = new Set(['exited', 'failed', 'fatal']);

let weakGuardWarned = false;

function warnWeakGuard(status: GuardStatus): void {
  if (weakGuardWarned) return;
  weakGuardWarned = true;
  console.warn(`[proctor] WEAK GUARD: ${status.reason}. Children may outlive the app if it is killed.`);
}

/** Every child's events, in one stream, each naming its child. */
export interface SupervisorEvents {
  state: ChildInfo;
  output: { id: string; block: OutputBlock };
  exit: ChildExit;
  stopTimeline: StopTimelineEvent;
  /** The id of a child taken off the list. */
  removed: string;
  /** An exited child dropped as the oldest beyond a keepExited cap; `removed` follows. */
  pruned: PrunedChild;
}

export class Supervisor {
  readonly #events = new Listeners<SupervisorEvents>();
  readonly #children = new Map<string, Child>();
  readonly #guard: GuardStatus;
  readonly #launcher: Launcher;
  readonly #graceMs: number;
  readonly #output: SupervisorOptions['output'];
  #created = 0;
  #keepExited: KeepExited;

  constructor(options: SupervisorOptions = {}) {
    this.#guard = resolveGuard(options.guardPath);
    if (this.#guard.kind === 'weak') warnWeakGuard(this.#guard);
    this.#launcher = launcherFor(this.#guard);
    this.#graceMs = options.defaultGraceMs ?? GRACE_MS.default;
    this.#output = options.output;
    this.#keepExited = options.keepExited ?? { perName: KEEP_EXITED.perName, total: KEEP_EXITED.total };
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
    child.on('state', (info) => {
      this.#events.emit('state', info);
      // After the exit has been handled: a restart decision may still move it to backoff.
      if (SETTLED_STATES.has(info.state)) queueMicrotask(() => this.#prune());
    });
    child.on('output', (block) => this.#events.emit('output', { id: child.id, block }));
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

  setKeepExited(keep: KeepExited): void {
    this.#keepExited = keep;
    this.#prune();
  }

  /**
   * Drops the oldest exited and failed children beyond the caps, so a thousand runs of the same
   * command cost no more than the last few; each drop is announced as `pruned`, then `removed`.
   */
  #prune(): void {
    const settled = this.children().filter((child) => SETTLED_STATES.has(child.state));
    const byName = new Map<string, Child[]>();
    for (const child of settled) {
      const family = byName.get(child.name);
      if (family) family.push(child);
      else byName.set(child.name, [child]);
    }
    const drops: PrunedChild[] = [];
    const { perName, total } = this.#keepExited;
    for (const [name, family] of byName) {
      for (const child of family.slice(0, Math.max(0, family.length - perName))) {
        drops.push({ id: child.id, name, keep: perName, scope: 'name' });
      }
    }
    const dropped = new Set(drops.map((drop) => drop.id));
    const left = settled.filter((child) => !dropped.has(child.id));
    for (const child of left.slice(0, Math.max(0, left.length - total))) {
      drops.push({ id: child.id, name: child.name, keep: total, scope: 'all' });
    }
    for (const drop of drops) {
      this.#children.delete(drop.id);
      this.#events.emit('pruned', drop);
      this.#events.emit('removed', drop.id);
    }
  }

  /**
   * Python's exit: daemon children are terminated; the others are joined (up to `joinMs`, then
   * terminated) or terminated right away.
   */
  async shutdown(policy: 'join' | 'terminate', opts: { joinMs?: number } = {}): Promise<unknown[]> {
    const joinMs = opts.joinMs ?? QUIT_JOIN_MS.default;
    const stopped = await Promise.allSettled(
      this.children().map(async (child) => {
        if (policy === 'join' && !child.daemon) await child.join(joinMs);
        await child.terminate();
      }),
    );
    // Never rejects: one child that cannot be stopped must not cut short the others' cleanup. The
    // caller, who has the logger, gets the reasons.
    return stopped.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
  }

  guardStatus(): GuardStatus {
    return { ...this.#guard };
  }
}
