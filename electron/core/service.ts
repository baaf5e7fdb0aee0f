// ProctorService: every command of the contract, over one Supervisor and one Monitor, and every event.
// Transports (Electron IPC, the headless WebSocket) only carry what this class answers and emits.
import { hostname, platform } from 'node:os';
import { dirname, join } from 'node:path';
import type {
  Backend,
  CommandName,
  EventMap,
  ParsedRequestOf,
  RequestOf,
  ResponseOf,
  Result,
} from '../../shared/contract';
import { CodedError, messageOf } from '../../shared/errors';
import { Listeners } from '../../shared/listeners';
import type { PrunedChild } from '../../shared/model';
import { dispatch, type CommandHandlers } from './dispatch';
import type { LessonHost } from './lessons/host';
import { createLogger, type Logger } from './log';
import { LazyMetrics, type MetricsSource } from './metrics/lazy';
import { Logs, type LogsOptions } from './logs';
import { Monitor, type ProcessSource } from './monitor';
import { readPriority, renice } from './monitor/readers/priority';
import { OutputBatcher } from './output-batcher';
import { readCwd, readEnviron, sendSignal } from './process-info';
import { SettingsStore } from './settings';
import { memoryPage } from './logs/memory-page';
import { programLogsOf } from './logs/program-logs';
import { Programs } from './programs/feature';
import { stopPreview } from './stop-preview';
import { Supervisor, type Child } from './supervisor';
import { supervisedOf } from './supervised';

/** The lessons and family-graph features, supplied by `electron/core/lessons`. */
export interface LessonsBackend {
  list(): Promise<ResponseOf<'lessons:list'>>;
  get(id: string): Promise<ResponseOf<'lessons:get'>>;
  /** `code`: run it instead of the lesson's own (and keep it as the edit); else a kept edit, else the original. */
  run(id: string, options?: { code?: string; timeLimitMs?: number }): Promise<ResponseOf<'lessons:run'>>;
  saveEdit(id: string, code: string): Promise<ResponseOf<'lessons:saveEdit'>>;
  restore(id: string): Promise<ResponseOf<'lessons:restore'>>;
  familyGraph(childId: string): Promise<ResponseOf<'family:graph'>>;
  dispose(): void;
}

export interface ServiceOptions {
  version: string;
  transport: ResponseOf<'app:info'>['transport'];
  settingsFile?: string;
  guardPath?: string;
  source?: ProcessSource;
  /** Where failures that must not pass silently go; by default nowhere (tests, throwaway services). */
  log?: Logger;
  /** Builds the lessons feature over the narrow host this service gives it. */
  lessons?: (host: LessonHost) => LessonsBackend;
  /** Logs on disk, post-mortems and notifications: where, and bounds for tests. */
  logs?: LogsOptions;
}

export class ProctorService implements Backend {
  // Open to the core's tests; every transport and Electron main take the service as a Backend.
  readonly supervisor: Supervisor;
  readonly monitor: Monitor;
  readonly settings: SettingsStore;
  readonly logs: Logs;
  private readonly log: Logger;
  readonly programs: Programs;
  private readonly events = new Listeners<EventMap>();
  private readonly output: OutputBatcher;
  private readonly lessons: LessonsBackend | null;
  private readonly handlers: CommandHandlers;
  private metricsRegistry: MetricsSource | null = null;

  constructor(private readonly options: ServiceOptions) {
    this.log = options.log ?? createLogger();
    this.settings = new SettingsStore(options.settingsFile);
    const settings = this.settings.get();
    this.supervisor = new Supervisor({
      guardPath: options.guardPath,
      defaultGraceMs: settings.graceMs,
      keepExited: { perName: settings.keepExitedPerName, total: settings.keepExitedTotal },
    });
    this.monitor = new Monitor({
      source: options.source,
      intervalMs: settings.intervalMs,
      historyLength: settings.historyLength,
      columns: settings.columns,
      supervised: supervisedOf(this.supervisor),
    });
    this.output = new OutputBatcher((id, lines) => this.events.emit('child:output', { id, lines }));
    this.monitor.on('delta', (delta) => this.events.emit('processes:delta', delta));
    // The tree stops moving while ticks fail: the status bar says why, and the log keeps the stack.
    this.monitor.on('error', (error) => {
      this.log.error({ err: error }, 'monitor tick failed');
      this.events.emit('app:problem', { area: 'monitor', message: messageOf(error), at: Date.now() });
    });
    this.supervisor.on('state', (info) => this.events.emit('child:state', info));
    this.logs = new Logs(options.logs ?? {}, {
      settings: () => this.settings.get(),
      programLogs: (name) => programLogsOf(this.programs.orchestrator.stack, name),
      emit: (event, payload) => this.events.emit(event, payload),
      familyRows: () => this.monitor.familyRows(),
      intervalMs: () => this.monitor.stats().intervalMs,
      history: (pid) => this.monitor.history(pid),
      onTick: (listener) => this.monitor.on('delta', listener),
    });
    this.supervisor.on('output', ({ id, block }) => {
      const child = this.supervisor.get(id);
      if (!child) return;
      this.output.push(id, child.output, block.firstSeq);
      this.logs.output(child.name, block);
    });
    // At 'starting', before the child can print: its first line may come before 'running' is known.
    this.supervisor.on('state', (info) => {
      if (info.state === 'starting') this.logs.runStarted(info.name, info.restarts);
    });
    this.supervisor.on('exit', (exit) => {
      const child = this.supervisor.get(exit.id);
      if (child) this.logs.exited(child, exit.requested);
    });
    this.supervisor.on('stopTimeline', (event) => this.events.emit('child:stopTimeline', event));
    this.supervisor.on('removed', (id) => this.events.emit('child:removed', { id }));
    // The kept programs live beside the settings ($XDG_CONFIG_HOME/proctor/programs.yaml in headless mode).
    const keptPrograms = options.settingsFile && join(dirname(options.settingsFile), 'programs.yaml');
    this.programs = new Programs(this.supervisor, this.events, keptPrograms);
    this.events.on('program:state', (info) => this.logs.notifier.program(info));
    this.monitor.on('delta', () => this.programs.sample(this.monitor.familyRows()));
    this.lessons = options.lessons?.(this.lessonHost()) ?? null;
    this.supervisor.on('pruned', (pruned: PrunedChild) => this.events.emit('child:pruned', pruned));
    this.handlers = this.createHandlers();
  }

  /** Takes the first sample (so a fresh client's snapshot is never empty), then samples on the interval. */
  async start(): Promise<void> {
    await this.monitor.tick();
    this.monitor.start();
    await this.programs.start();
  }

  /** Answers one request from any transport; never throws. */
  invoke<C extends CommandName>(name: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
    return dispatch(this.handlers, name, request, this.log);
  }

  on<E extends keyof EventMap>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    return this.events.on(event, listener);
  }

  appInfo(): ResponseOf<'app:info'> {
    const guard = this.supervisor.guardStatus();
    return {
      name: 'Proctor',
      version: this.options.version,
      pid: process.pid,
      platform: platform(),
      hostname: hostname(),
      transport: this.options.transport,
      guard: {
        kind: guard.kind,
        ...(guard.reason === undefined ? {} : { reason: guard.reason }),
        ...(guard.why === undefined ? {} : { why: guard.why }),
      },
      settingsReport: this.settings.report(),
    };
  }

  /** Prometheus metrics of this backend, counted from their first scrape, or from when a metrics port opened. */
  metrics(): MetricsSource {
    return (this.metricsRegistry ??= new LazyMetrics(this.monitor, this.supervisor, () =>
      this.programs.orchestrator.list(),
    ));
  }

  /** Quit: daemon children are terminated; the others are joined (up to the limit) or terminated. */
  async shutdown(policy: 'join' | 'terminate'): Promise<void> {
    this.monitor.stop();
    this.lessons?.dispose();
    await this.programs.shutdown();
    const failures = await this.supervisor.shutdown(policy, { joinMs: this.settings.get().quitJoinMs });
    for (const error of failures) this.log.error({ err: error }, 'stopping a child failed');
    this.output.dispose();
    this.metricsRegistry?.dispose();
    await this.logs.close();
  }

  private child(id: string): Child {
    const child = this.supervisor.get(id);
    if (!child) throw new CodedError('E_NO_SUCH_CHILD', `there is no supervised child with id ${id}`);
    return child;
  }

  private requireLessons(): LessonsBackend {
    if (!this.lessons) throw new CodedError('E_NO_SUCH_LESSON', 'lessons are not available in this build');
    return this.lessons;
  }

  private async startChild(spec: ParsedRequestOf<'children:start'>): Promise<ResponseOf<'children:start'>> {
    const child = await this.supervisor.start({
      ...spec,
      graceMs: spec.graceMs ?? this.settings.get().graceMs,
    });
    // A failed spawn still leaves the child listed (state `failed`), and answers with its words.
    if (child.error) throw new CodedError(child.error.code, child.error.message);
    return child.info();
  }

  private createHandlers(): CommandHandlers {
    return {
      'app:info': () => this.appInfo(),
      'children:start': (spec) => this.startChild(spec),
      'children:list': () => this.supervisor.children().map((child) => child.info()),
      'children:terminateAll': async () => {
        const alive = this.supervisor.children().filter((child) => child.isAlive());
        await Promise.all(alive.map((child) => child.terminate()));
        return alive.map((child) => child.info());
      },
      'children:terminate': async ({ id, graceMs }) => {
        const child = this.child(id);
        // Without a grace in the request, the child's own applies (its spec's, or the setting at its start).
        await child.terminate(graceMs);
        return child.info();
      },
      'children:kill': async ({ id }) => {
        const child = this.child(id);
        await child.kill();
        return child.info();
      },
      'children:join': async ({ id, timeoutMs }) => ({ exitcode: await this.child(id).join(timeoutMs) }),
      'children:restart': async ({ id }) => {
        const child = this.child(id);
        await child.restart();
        return child.info();
      },
      'children:remove': ({ id }) => {
        this.child(id);
        this.supervisor.remove(id);
        return { id };
      },
      'children:output': ({ id, since, limit }) => {
        const child = this.child(id);
        return { lines: child.output.lines(since, limit), dropped: child.output.dropped };
      },
      'processes:snapshot': () => this.monitor.snapshot(),
      'processes:history': ({ pid }) => this.monitor.history(pid),
      'processes:detail': ({ pid }) => {
        const row = this.monitor.snapshot().rows.find((candidate) => candidate.pid === pid);
        if (!row)
          throw new CodedError('E_NO_SUCH_PROCESS', `no such process: ${pid} is not in the process table`);
        const supervised = row.marks.supervised !== undefined;
        return { pid, cmd: row.cmd, cwd: readCwd(pid), env: supervised ? readEnviron(pid) : null };
      },
      'processes:signal': ({ pid, signal }) => {
        sendSignal(pid, signal);
        return { pid };
      },
      'processes:renice': ({ pid, nice }) => {
        renice(pid, nice);
        this.monitor.reread(pid);
        return { pid, nice: readPriority(pid)?.nice ?? nice };
      },
      'processes:stopPreview': ({ pid }) => stopPreview(this.monitor.snapshot().rows, pid),
      'monitor:setPaused': ({ paused }) => {
        if (paused) this.monitor.pause();
        else this.monitor.resume();
        return this.monitor.stats();
      },
      'monitor:stats': () => this.monitor.stats(),
      'monitor:watch': ({ pid }) => {
        this.monitor.watch(pid);
        return null;
      },
      'settings:get': () => this.settings.get(),
      'settings:set': (patch) => {
        const next = this.settings.update(patch);
        this.monitor.setIntervalMs(next.intervalMs);
        this.monitor.setHistoryLength(next.historyLength);
        this.monitor.setColumns(next.columns);
        this.supervisor.setKeepExited({ perName: next.keepExitedPerName, total: next.keepExitedTotal });
        this.logs.applySettings(next);
        this.events.emit('settings:changed', next);
        return next;
      },
      'lessons:list': () => this.requireLessons().list(),
      'lessons:get': ({ id }) => this.requireLessons().get(id),
      'lessons:run': ({ id, ...options }) => this.requireLessons().run(id, options),
      'lessons:saveEdit': ({ id, code }) => this.requireLessons().saveEdit(id, code),
      'lessons:restore': ({ id }) => this.requireLessons().restore(id),
      'family:graph': ({ id }) => this.requireLessons().familyGraph(id),
      ...this.programs.handlers(),
      'logs:list': () => this.logs.book.list(),
      'logs:read': ({ name, from, limit }) => {
        // While the disk takes nothing, the window reads the newest run's lines from memory.
        const child = this.logs.book.faulted(name) ? this.#newestNamed(name) : undefined;
        return child ? memoryPage(child.output, from, limit) : this.logs.book.read(name, from, limit);
      },
      'logs:search': ({ name, ...search }) => this.logs.book.search(name, search),
      'postmortems:list': ({ name }) => this.logs.postMortems.list(name),
      'postmortems:get': ({ name, id }) => this.logs.postMortems.get(name, id),
    };
  }

  /** The newest child that runs under `name` (a restarted program keeps one child). */
  #newestNamed(name: string): Child | undefined {
    return this.supervisor
      .children()
      .filter((child) => child.name === name)
      .at(-1);
  }

  private lessonHost(): LessonHost {
    return {
      startChild: (spec) => this.supervisor.start(spec),
      child: (id) => this.supervisor.get(id),
      removeChild: (id) => this.supervisor.remove(id),
      leaseInterval: (ms) => this.monitor.leaseInterval(ms),
      snapshot: () => this.monitor.snapshot(),
      tick: () => this.monitor.tick(),
      paused: () => this.monitor.stats().paused,
      onDelta: (listener) => this.monitor.on('delta', listener),
      settings: () => this.settings.get(),
      publish: (run) => this.events.emit('lesson:run', run),
      log: this.log.child({ area: 'lessons' }),
    };
  }
}
