// One supervised child: supervisord's state machine with Python's Process semantics on top.
import { CodedError, type ProctorError } from '../../../shared/errors';
import {
  isAliveState,
  type ChildInfo,
  type ChildSpec,
  type ChildState,
  type GiveUp,
  type StateChange,
  type StopPhase,
  type StopTimelineEvent,
} from '../../../shared/model';
import { Listeners } from '../../../shared/listeners';
import { Backoff } from './backoff';
import type { Launcher } from './launch';
import { OutputRing, type OutputBlock, type OutputLimits } from './output';
import { exitcodeOf, signalGroup } from './signals';
import { nodeSpawnFailure } from './spawn-errors';

export interface ChildOptions {
  id: string;
  name: string;
  spec: ChildSpec;
  launcher: Launcher;
  graceMs: number;
  output?: Partial<OutputLimits>;
}

/** State changes kept per child; a crash loop must not grow them forever. */
const HISTORY_LIMIT = 100;

function frozenCopy(spec: ChildSpec): ChildSpec {
  return Object.freeze({
    ...spec,
    args: Object.freeze([...spec.args]) as string[],
    ...(spec.env && { env: Object.freeze({ ...spec.env }) }),
    ...(spec.restart && { restart: Object.freeze({ ...spec.restart }) }),
  });
}

export type ChildExit = ChildInfo & { requested: boolean };

export interface ChildEvents {
  /** Every state change, with the child as it is after it. */
  state: ChildInfo;
  output: OutputBlock;
  /**
   * Each exit of a run (a restart policy may start another); `requested` when terminate or kill
   * asked for it: any other exit earns a post-mortem.
   */
  exit: ChildExit;
  stopTimeline: StopTimelineEvent;
}

export class Child {
  readonly id: string;
  readonly name: string;
  readonly output: OutputRing;
  readonly #spec: ChildSpec;
  readonly #launcher: Launcher;
  readonly #graceMs: number;
  readonly #backoff: Backoff;
  readonly #history: StateChange[] = [];
  readonly #joiners = new Set<() => void>();
  readonly #events = new Listeners<ChildEvents>();
  #daemon: boolean;
  #state: ChildState = 'created';
  #started = false;
  /** No run is under way and none is scheduled: what join() waits for. */
  #settled = true;
  #pid: number | null = null;
  #guardPid: number | null = null;
  #exitcode: number | null = null;
  #error: ProctorError | null = null;
  #startedAt: number | null = null;
  #exitedAt: number | null = null;
  #restarts = 0;
  #gaveUp: GiveUp | null = null;
  /** Set by terminate/kill: the exit that follows is wanted and never restarts. */
  #stopRequested = false;
  /** A SIGTERM or SIGKILL went out for the current run; its exit closes the stop timeline. */
  #stopping = false;
  #launching: Promise<void> = Promise.resolve();
  #graceTimer: NodeJS.Timeout | null = null;
  #restartTimer: NodeJS.Timeout | null = null;

  constructor(options: ChildOptions) {
    this.id = options.id;
    this.name = options.name;
    this.#spec = frozenCopy(options.spec);
    this.#launcher = options.launcher;
    this.#graceMs = options.spec.graceMs ?? options.graceMs;
    this.#backoff = new Backoff(options.spec.restart, options.spec.restart?.minUptimeMs);
    this.#daemon = options.spec.daemon ?? false;
    this.output = new OutputRing(options.output);
    this.output.subscribeBlocks((block) => this.#events.emit('output', block));
  }

  on<E extends keyof ChildEvents>(name: E, listener: (payload: ChildEvents[E]) => void): () => void {
    return this.#events.on(name, listener);
  }

  /** The real program's pid, as the guard reports it (never the guard's own). */
  get pid(): number | null {
    return this.#pid;
  }

  get guardPid(): number | null {
    return this.#guardPid;
  }

  get daemon(): boolean {
    return this.#daemon;
  }

  set daemon(value: boolean) {
    if (this.#started)
      throw new CodedError('E_STATE', `child ${this.id} has already started: daemon can no longer change`);
    this.#daemon = value;
  }

  get state(): ChildState {
    return this.#state;
  }

  get exitcode(): number | null {
    return this.#exitcode;
  }

  get error(): ProctorError | null {
    return this.#error;
  }

  /** Resolves once the child is running or has failed to start; spawn errors never reject. */
  start(): Promise<void> {
    if (this.#started) throw new CodedError('E_STATE', `child ${this.id} cannot be started twice`);
    this.#started = true;
    this.#stopRequested = false;
    return this.#launch();
  }

  isAlive(): boolean {
    return isAliveState(this.#state);
  }

  /** The exitcode once the child has settled (no run and no restart pending), or null on timeout. */
  join(timeoutMs?: number): Promise<number | null> {
    if (this.#settled) return Promise.resolve(this.#exitcode);
    if (timeoutMs !== undefined && timeoutMs <= 0) return Promise.resolve(null);
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        clearTimeout(timer);
        this.#joiners.delete(done);
        resolve(this.#exitcode);
      };
      this.#joiners.add(done);
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          this.#joiners.delete(done);
          resolve(null);
        }, timeoutMs);
      }
    });
  }

  /** SIGTERM to the child's group, SIGKILL after the grace; resolves once it has exited. */
  terminate(graceMs: number = this.#graceMs): Promise<void> {
    return this.#stop(() => {
      if (this.#stopping) return;
      this.#stopping = true;
      // The grace counts from the SIGTERM the timeline shows, to the millisecond.
      const sentAt = Date.now();
      this.#timeline('sigterm', { at: sentAt, deadline: sentAt + graceMs });
      signalGroup(this.#pid!, this.#spec.stopSignal ?? 'SIGTERM');
      this.#setState('stopping');
      this.#graceTimer = setTimeout(() => {
        // Only a grace that really ran out is stamped as over, when it did.
        this.#timeline('grace');
        this.#sigkill();
      }, graceMs);
    });
  }

  /** SIGKILL to the child's group; resolves once it has exited. */
  kill(): Promise<void> {
    return this.#stop(() => {
      this.#stopping = true;
      this.#sigkill();
      if (this.#state === 'running') this.#setState('stopping');
    });
  }

  /** Any signal to the child's group. Restart policy still applies to the exit it may cause. */
  signal(name: NodeJS.Signals): void {
    if (this.#state !== 'running' && this.#state !== 'stopping') {
      throw new CodedError('E_STATE', `child ${this.id} is not running (${this.#state})`);
    }
    signalGroup(this.#pid!, name);
  }

  /** Stops the child if it is alive (or cancels a pending restart), then starts it again, same id. */
  async restart(): Promise<void> {
    if (this.#started) await this.terminate();
    // Another caller may have started it while we waited for the stop.
    if (this.isAlive()) return;
    if (this.#started) this.#restarts++;
    this.#started = true;
    this.#stopRequested = false;
    this.#backoff.reset();
    await this.#launch();
  }

  info(): ChildInfo {
    return {
      id: this.id,
      name: this.name,
      pid: this.#pid,
      guardPid: this.#guardPid,
      daemon: this.#daemon,
      state: this.#state,
      exitcode: this.#exitcode,
      error: this.#error,
      spec: this.#spec,
      startedAt: this.#startedAt,
      exitedAt: this.#exitedAt,
      restarts: this.#restarts,
      history: [...this.#history],
      droppedLines: this.output.dropped,
      ...(this.#gaveUp && { gaveUp: this.#gaveUp }),
    };
  }

  #launch(): Promise<void> {
    this.#settled = false;
    this.#gaveUp = null;
    this.#stopping = false;
    this.#pid = null;
    this.#guardPid = null;
    this.#exitcode = null;
    this.#error = null;
    this.#setState('starting');
    const splitters = { stdout: this.output.intake('stdout'), stderr: this.output.intake('stderr') };
    this.#launching = new Promise((resolve) => {
      const failed = (error: ProctorError): void => {
        this.#error = error;
        this.#exitedAt = Date.now();
        this.#setState('failed');
        resolve();
        this.#afterRun('failed', 0);
      };
      try {
        this.#launcher.launch(this.#spec, {
          guarded: (guardPid) => {
            this.#guardPid = guardPid;
          },
          running: (pid, guardPid) => {
            this.#pid = pid;
            this.#guardPid = guardPid;
            this.#startedAt = Date.now();
            this.#exitedAt = null;
            this.#setState('running');
            resolve();
          },
          failed,
          output: (stream, chunk, slab) => splitters[stream].write(chunk, slab),
          outputEnd: (stream) => splitters[stream].end(),
          exited: (code, signal) => this.#onExit(exitcodeOf(code, signal)),
        });
      } catch (error) {
        // Node throws some spawn errors at once (E2BIG, a cwd that is a file) instead of emitting
        // them: the same failed start as an emitted ENOENT, never a promise left pending.
        failed(nodeSpawnFailure(error, this.#spec));
      }
    });
    return this.#launching;
  }

  #onExit(exitcode: number | null): void {
    this.#clearGraceTimer();
    this.#exitcode = exitcode;
    this.#exitedAt = Date.now();
    if (this.#stopping) this.#timeline('exited', { exitcode });
    this.#stopping = false;
    this.#setState('exited');
    this.#events.emit('exit', { ...this.info(), requested: this.#stopRequested });
    this.#afterRun('exited', this.#exitedAt - (this.#startedAt ?? this.#exitedAt));
  }

  #afterRun(ended: 'exited' | 'failed', uptimeMs: number): void {
    if (this.#stopRequested) return this.#settle();
    const decision = this.#backoff.afterExit(ended === 'failed' ? null : this.#exitcode, uptimeMs);
    if (decision.kind === 'restart') {
      this.#setState('backoff');
      const relaunch = (): void => {
        this.#restartTimer = null;
        this.#restarts++;
        void this.#launch();
      };
      // No delay asked: the new run starts in the same turn as the exit, not a timer tick later. A
      // failed start keeps the timer, so a spawn that fails at once cannot recurse into itself.
      if (decision.delayMs === 0 && ended === 'exited') relaunch();
      else this.#restartTimer = setTimeout(relaunch, decision.delayMs);
      return;
    }
    if (decision.kind === 'fatal') {
      this.#gaveUp = decision.gaveUp;
      this.#setState('fatal');
    }
    this.#settle();
  }

  #settle(): void {
    this.#settled = true;
    this.#launcher.release?.(this.#spec);
    for (const done of [...this.#joiners]) done();
  }

  /** The shared path of terminate and kill: `begin` runs only while a run is live. */
  async #stop(begin: () => void): Promise<void> {
    if (!this.#started) return;
    this.#stopRequested = true;
    if (this.#restartTimer !== null) {
      clearTimeout(this.#restartTimer);
      this.#restartTimer = null;
      this.#setState(this.#error === null ? 'exited' : 'failed');
      this.#settle();
      return;
    }
    if (this.#state === 'starting') await this.#launching;
    if (this.#state === 'running' || this.#state === 'stopping') begin();
    await this.join();
  }

  #sigkill(): void {
    this.#clearGraceTimer();
    this.#timeline('sigkill');
    signalGroup(this.#pid!, 'SIGKILL');
  }

  #clearGraceTimer(): void {
    if (this.#graceTimer !== null) clearTimeout(this.#graceTimer);
    this.#graceTimer = null;
  }

  /** Emits one step of a stop, stamped now unless `extra.at` says when. */
  #timeline(
    phase: StopPhase,
    extra: Partial<Pick<StopTimelineEvent, 'at' | 'deadline' | 'exitcode'>> = {},
  ): void {
    this.#events.emit('stopTimeline', { id: this.id, phase, at: Date.now(), ...extra });
  }

  #setState(state: ChildState): void {
    this.#state = state;
    this.#history.push({ state, at: Date.now() });
    if (this.#history.length > HISTORY_LIMIT) this.#history.shift();
    this.#events.emit('state', this.info());
  }
}
