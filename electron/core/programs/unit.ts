// One program (or one replica of it) at run time: its supervised child, its probes, its memory limit
// and where it stands against its dependencies.
import { execFile } from 'node:child_process';
import type { ChildInfo, ChildSpec, OutputLine, ProgramInfo, ProgramReason } from '../../../shared/model';
import { programReason } from '../../../shared/program-reasons';
import type { Child, Supervisor } from '../supervisor';
import { argvOf } from './command';
import type { Gate, UnitFacts } from './conditions';
import type { GatingCheck } from './clearance';
import type { ResolvedProgram } from './load';
import { Prober, type ProbeContext } from './probes';

const MIB = 1024 * 1024;

export class Unit {
  child: Child | null = null;
  /** Asked to start and waiting for its conditions. */
  pending = false;
  #blocked = false;
  #reason: ProgramReason | null = null;
  #logReady = false;
  #readiness: Prober | null = null;
  #liveness: Prober | null = null;
  #rssTicksOver = 0;
  /** When the current run's spawn was asked for (performance.now()): its probes' initial delay counts from there. */
  #runAskedAt = 0;
  /** A restart of our own (the RSS limit) under way: a stop waits for it, so the two never interleave. */
  #restarting: Promise<void> | null = null;
  #killTimer: NodeJS.Timeout | null = null;
  #unsubscribe: () => void = () => {};

  constructor(
    public program: ResolvedProgram,
    readonly name: string,
    readonly replica: number,
    private readonly supervisor: Supervisor,
    private readonly changed: (unit: Unit) => void,
  ) {}

  get disabled(): boolean {
    return this.program.def.disabled;
  }

  facts(): UnitFacts {
    const state = this.child?.state;
    return {
      disabled: this.disabled,
      pending: this.pending,
      blocked: this.#blocked,
      started: !this.pending && this.child?.info().startedAt != null,
      healthy: this.#healthy(),
      logReady: this.#logReady,
      settled: !this.pending && (state === 'exited' || state === 'failed' || state === 'fatal'),
      exitcode: this.child?.exitcode ?? null,
      successExitCodes: this.program.def.success_exit_codes,
    };
  }

  /** Its next readiness check while its run is up but not ready yet; null when no check of its decides anything soon. */
  readinessCheck(): GatingCheck | null {
    const readiness = this.#readiness;
    const at = readiness?.checkAt ?? null;
    if (readiness === null || at === null || readiness.passing || this.child?.state !== 'running')
      return null;
    return { at, underWay: readiness.checking, period: this.program.def.readiness_probe!.period };
  }

  /** Where the gate says this pending unit stands; reports a change only when there is one. */
  hold(gate: Exclude<Gate, { kind: 'start' }>): void {
    const blocked = gate.kind === 'blocked';
    if (blocked === this.#blocked && gate.reason.text === this.#reason?.text) return;
    this.#blocked = blocked;
    this.#reason = gate.reason;
    this.changed(this);
  }

  /** Its conditions are met: the first run creates the child, later ones restart it (same id, same count). */
  async launch(): Promise<void> {
    this.pending = false;
    this.#blocked = false;
    this.#reason = null;
    if (this.child !== null && this.#owned()) {
      await this.child.restart();
      return;
    }
    // The first run, or the last run's child was removed from the list (by the user, or pruned as an old exited child).
    this.#unsubscribe();
    this.child = this.supervisor.create(this.#spec());
    this.#watch(this.child);
    await this.child.start();
  }

  /** The stop command (bounded by the grace), then the stop signal, then SIGKILL after the grace. */
  async stop(): Promise<void> {
    const wasPending = this.pending;
    this.pending = false;
    this.#blocked = false;
    if (wasPending) this.changed(this);
    await this.#restarting;
    const child = this.child;
    if (child === null || !(child.isAlive() || child.state === 'backoff')) return;
    const { stop } = this.program.def;
    if (stop.command !== undefined && child.isAlive()) await this.#runStopCommand(stop.command, stop.grace);
    await child.terminate(stop.grace);
  }

  /** One monitor tick's RSS of the whole family; restarts it when it stays above the limit. */
  sampleRss(bytes: number): void {
    const limit = this.program.def.rss_limit;
    if (limit === undefined || this.child?.state !== 'running') return;
    this.#rssTicksOver = bytes > limit.mb * MIB ? this.#rssTicksOver + 1 : 0;
    if (this.#rssTicksOver < limit.ticks) return;
    this.#rssTicksOver = 0;
    this.#reason = programReason({
      code: 'rss_limit',
      params: { rssMb: Math.round(bytes / MIB), limitMb: limit.mb, ticks: limit.ticks },
    });
    this.changed(this);
    this.#restarting = this.child.restart().finally(() => (this.#restarting = null));
  }

  /** Stops listening and forgets its child; the unit must be stopped first. */
  dispose(): void {
    this.#endRun();
    this.#unsubscribe();
    if (this.child !== null && this.#owned()) this.supervisor.remove(this.child.id);
    this.child = null;
  }

  info(): ProgramInfo {
    const child = this.child?.info() ?? null;
    const probes: ProgramInfo['probes'] = {};
    if (this.#readiness) probes.readiness = [...this.#readiness.results];
    if (this.#liveness) probes.liveness = [...this.#liveness.results];
    return {
      name: this.name,
      program: this.program.name,
      replica: this.replica,
      state: this.#state(child),
      reason: this.#reason,
      childId: child?.id ?? null,
      pid: child?.pid ?? null,
      exitcode: child?.exitcode ?? null,
      restarts: child?.restarts ?? 0,
      startedAt: child?.startedAt ?? null,
      exitedAt: child?.exitedAt ?? null,
      dependsOn: Object.entries(this.program.def.depends_on).map(([name, { condition }]) => ({
        name,
        condition,
      })),
      probes,
    };
  }

  #state(child: ChildInfo | null): ProgramInfo['state'] {
    if (this.disabled) return 'disabled';
    if (this.pending) return this.#blocked ? 'blocked' : 'waiting';
    if (child === null) return 'stopped';
    if (child.state === 'created') return 'starting';
    return this.#healthy() ? 'healthy' : child.state;
  }

  /** Whether the supervisor still lists this unit's child. */
  #owned(): boolean {
    return this.child !== null && this.supervisor.get(this.child.id) === this.child;
  }

  #healthy(): boolean {
    return this.child?.state === 'running' && this.#readiness?.passing === true;
  }

  #spec(): ChildSpec {
    const { def, cwd, env } = this.program;
    const { restart, stop } = def;
    return {
      ...argvOf(def.command),
      name: this.name,
      cwd,
      env: { ...env, PROCTOR_REPLICA: String(this.replica) },
      daemon: def.daemon,
      graceMs: stop.grace,
      stopSignal: stop.signal,
      restart: {
        policy: restart.policy,
        maxRetries: restart.max_restarts,
        backoffMs: restart.backoff,
        maxBackoffMs: restart.max_backoff,
        minUptimeMs: restart.min_uptime,
        successExitCodes: def.success_exit_codes,
      },
    };
  }

  #context(): ProbeContext {
    return { cwd: this.program.cwd, env: { ...process.env, ...this.program.env } };
  }

  #watch(child: Child): void {
    let ready: RegExp | null = null;
    let stopLines: (() => void) | null = null;
    const onLine = (line: OutputLine): void => {
      this.#readiness?.line(line.text);
      if (ready?.test(line.text) && !this.#logReady && child.state === 'running') {
        this.#logReady = true;
        this.changed(this);
      }
    };
    // Lines as strings cost an object a line: taken only in runs whose definition reads them.
    const followLines = (): void => {
      const { ready_log_line: pattern, readiness_probe: probe } = this.program.def;
      ready = pattern === undefined ? null : new RegExp(pattern);
      const reads = ready !== null || probe?.log_line !== undefined;
      if (reads) {
        stopLines ??= child.output.subscribe(onLine);
      } else if (stopLines) {
        stopLines();
        stopLines = null;
      }
    };
    const onState = (info: ChildInfo): void => {
      if (info.state === 'starting') {
        this.#runAskedAt = performance.now();
        followLines();
      }
      if (info.state === 'running') this.#beginRun();
      else this.#endRun();
      this.changed(this);
    };
    const stopStates = child.on('state', onState);
    this.#unsubscribe = () => {
      stopStates();
      stopLines?.();
    };
  }

  #beginRun(): void {
    this.#endRun();
    this.#logReady = false;
    this.#rssTicksOver = 0;
    const { readiness_probe: readiness, liveness_probe: liveness } = this.program.def;
    // As Kubernetes counts it from the container's start: the time the spawn itself took is part of the delay.
    const sinceSpawn = performance.now() - this.#runAskedAt;
    if (readiness) {
      this.#readiness = new Prober(
        readiness,
        () => this.#context(),
        false,
        () => this.changed(this),
      );
      this.#readiness.start(sinceSpawn);
    }
    if (liveness) {
      this.#liveness = new Prober(
        liveness,
        () => this.#context(),
        true,
        ({ passing, flipped, result, failures }) => {
          if (!flipped || passing) return this.changed(this);
          this.#reason = programReason({
            code: 'liveness_failed',
            params: { failures, detail: result.detail },
          });
          this.#killRun();
        },
      );
      this.#liveness.start(sinceSpawn);
    }
  }

  /** Probes stop with the run; their last results stay for the window until the next run. */
  #endRun(): void {
    this.#readiness?.stop();
    this.#liveness?.stop();
    if (this.#killTimer !== null) clearTimeout(this.#killTimer);
    this.#killTimer = null;
  }

  /** A failed liveness probe ends the run with the stop signal (SIGKILL after the grace); the restart policy decides what follows. */
  #killRun(): void {
    const child = this.child;
    if (child?.state !== 'running') return;
    const { signal, grace } = this.program.def.stop;
    const pid = child.pid;
    child.signal(signal);
    this.#killTimer = setTimeout(() => {
      if (child.pid === pid && child.state === 'running') child.signal('SIGKILL');
    }, grace);
    this.changed(this);
  }

  #runStopCommand(
    command: NonNullable<ResolvedProgram['def']['stop']['command']>,
    timeout: number,
  ): Promise<void> {
    const argv = argvOf(command);
    return new Promise((resolve) => {
      execFile(argv.command, argv.args, { ...this.#context(), timeout, killSignal: 'SIGKILL' }, () =>
        resolve(),
      );
    });
  }
}
