import { HISTORY_LENGTH, INTERVAL_MS } from '../../../shared/limits';
import { Listeners } from '../../../shared/listeners';
import type {
  Ghost,
  MonitorStats,
  ProcessHistory,
  TreeDelta,
  TreeRow,
  TreeSnapshot,
} from '../../../shared/model';
import type { OptionalColumn } from '../../../shared/columns';
import { yieldToLoop } from './budget';
import { Classifier, copyRow, familyOf, type SupervisedInfo } from './classify';
import { ColumnReaders } from './columns';
import { roundTenth } from './cpu';
import { diffRows } from './delta';
import { packSample } from '../../../shared/meters';
import { History } from './history';
import { createDefaultMeters, type MeterSource } from './meters/system-meters';
import { createDefaultSource, type ProcessSource, type ProcessUsage } from './source';
import { buildForest, type Forest } from './tree';

export interface MonitorOptions {
  source?: ProcessSource;
  /** The user's interval: default and bounds from INTERVAL_MS. */
  intervalMs?: number;
  /** Samples kept per process: default and bounds from HISTORY_LENGTH, like the setting. */
  historyLength?: number;
  /** Asked once per tick; the service passes the Supervisor's children. */
  supervised?: () => SupervisedInfo[];
  /** The system meters read in each tick; default /proc on Linux, none elsewhere; null for none. */
  meters?: MeterSource | null;
  /** The optional columns shown (Settings' `columns`). */
  columns?: readonly OptionalColumn[];
}

export interface MonitorEvents {
  /** After each tick that ran. */
  delta: TreeDelta;
  /** A tick failed; the loop keeps going. */
  error: unknown;
}
// selfCpuPct averages over this many ticks: steady in the status bar, yet quick to follow a change.
const CPU_WINDOW_TICKS = 10;

interface TickCost {
  startedAt: number;
  cpuMicros: number;
}

/**
 * The sampling loop: source → forest → marks → history → delta, once per interval. Ticks never
 * overlap: the next one is timed from the end of the last, on the interval's grid, so a slow tick
 * skips the beats it overran instead of queueing them. Events: 'delta' after each tick that ran,
 * 'error' when a tick failed; the loop keeps going either way.
 *
 * The interval it samples at is its own to resolve: the user's setting, or the fastest lease taken
 * on it (a lesson's), whichever is shorter. A settings change while a lease is held moves only the
 * user's part, so the lease keeps its pace; the user's interval returns when the last lease ends.
 */
export class Monitor {
  private readonly events = new Listeners<MonitorEvents>();
  private readonly source: ProcessSource;
  private readonly supervised: () => SupervisedInfo[];
  private readonly classifier = new Classifier();
  private readonly historyStore: History;
  /** The user's interval (the setting), and the leases taken on a faster one; `intervalMs` resolves them. */
  private userIntervalMs: number;
  private readonly leases = new Set<{ intervalMs: number }>();
  private readonly meters: MeterSource | null;
  private readonly columns = new ColumnReaders();
  private intervalMs: number;
  private rows = new Map<number, TreeRow>();
  private ordered: TreeRow[] = [];
  private families: TreeRow[] = [];
  /** The process the user has selected: read whole every tick, however quiet. */
  private selected: number | null = null;
  private ghosts: Ghost[] = [];
  private seq = 0;
  private at = 0;
  private lastTickMs = 0;
  private costs: TickCost[] = [];
  private ticking = false;
  private running = false;
  private paused = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(options: MonitorOptions = {}) {
    this.source = options.source ?? createDefaultSource();
    this.supervised = options.supervised ?? (() => []);
    this.meters = options.meters === undefined ? createDefaultMeters() : options.meters;
    this.userIntervalMs = clampInterval(options.intervalMs ?? INTERVAL_MS.default);
    this.intervalMs = this.userIntervalMs;
    this.columns.setColumns(options.columns ?? []);
    this.historyStore = new History(clampHistory(options.historyLength ?? HISTORY_LENGTH.default));
  }

  on<E extends keyof MonitorEvents>(name: E, listener: (payload: MonitorEvents[E]) => void): () => void {
    return this.events.on(name, listener);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops the loop and lets the source release its fds; `start()` picks up again. */
  stop(): void {
    this.running = false;
    this.clearTimer();
    this.source.close();
    this.meters?.close();
  }

  pause(): void {
    this.paused = true;
    this.clearTimer();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (this.running) this.schedule(0);
  }

  /** The user's interval (the setting); a faster lease, while held, still sets the pace. */
  setIntervalMs(ms: number): void {
    this.userIntervalMs = clampInterval(ms);
    this.resolveInterval();
  }

  /** Samples at least every `ms` until the returned release is called (once is enough; twice is harmless). */
  leaseInterval(ms: number): () => void {
    const lease = { intervalMs: clampInterval(ms) };
    this.leases.add(lease);
    this.resolveInterval();
    return () => {
      if (this.leases.delete(lease)) this.resolveInterval();
    };
  }

  /** The optional columns the user shows: their readers run in each tick from now on. */
  setColumns(columns: readonly OptionalColumn[]): void {
    this.columns.setColumns(columns);
  }

  /** Reads every optional figure of `pid` (the selected process) whatever the columns; null for none. */
  watch(pid: number | null): void {
    this.selected = pid;
    this.columns.watch(pid);
  }

  /** Reads the whole stat line of `pid` next tick: its nice value changed without its running. */
  reread(pid: number): void {
    this.source.reread?.(pid);
  }

  setHistoryLength(n: number): void {
    this.historyStore.resize(clampHistory(n));
  }

  /** One sample now; null when a tick is already running. Errors reject (the loop reports them). */
  async tick(): Promise<TreeDelta | null> {
    if (this.ticking) return null;
    this.ticking = true;
    const wallStart = performance.now();
    const cpuStart = process.cpuUsage();
    try {
      this.source.watch?.({ groups: supervisedGroups(this.supervised()), pid: this.selected });
      const sampled = await this.source.sample();
      const at = Date.now();
      const system = this.meters?.read(sampled, at) ?? null;
      // Each stage takes a few ms at 5,000 processes; the loop gets a turn between them.
      await yieldToLoop();
      const { forest, ghosts } = this.classifier.classify(buildForest(sampled), this.supervised(), at);
      const rows = forest.order;
      await yieldToLoop();
      this.historyStore.record(rows);
      if (this.columns.active) {
        await yieldToLoop();
        ownCopies(forest, (pid) => this.columns.writes(pid));
        // Rates divide by the time between two reads: a monotonic clock in microseconds, which two quick
        // ticks never share (two ticks in one millisecond of Date.now() lost a rate for good).
        this.columns.apply(rows, this.source, performance.now());
      }
      await yieldToLoop();

      const changes = diffRows(this.rows, rows, forest.byPid);
      this.rows = forest.byPid;
      this.ordered = rows;
      this.families = rows.filter((row) => familyOf(row) !== undefined);
      this.ghosts = ghosts;
      this.seq++;
      this.at = at;

      const cpu = process.cpuUsage(cpuStart);
      this.lastTickMs = performance.now() - wallStart;
      this.costs.push({ startedAt: wallStart, cpuMicros: cpu.user + cpu.system });
      if (this.costs.length > CPU_WINDOW_TICKS) this.costs.shift();

      const delta: TreeDelta = {
        seq: this.seq,
        at,
        ...changes,
        ghosts,
        stats: this.stats(),
        system: system && packSample(system),
      };
      this.events.emit('delta', delta);
      return delta;
    } finally {
      this.ticking = false;
    }
  }

  /**
   * The last tick's rows alone: what reads them every tick (programs, metrics) takes these, not a whole
   * snapshot, which also copies the meters' history.
   */
  lastRows(): readonly TreeRow[] {
    return this.ordered;
  }

  /**
   * The last tick's rows of Proctor's children and their families, in tree order: what reads its
   * families every tick (post-mortems, metrics, programs) passes over these, not the whole machine.
   */
  familyRows(): readonly TreeRow[] {
    return this.families;
  }

  snapshot(): TreeSnapshot {
    const system = this.meters?.current() ?? null;
    return {
      seq: this.seq,
      at: this.at,
      rows: this.ordered,
      ghosts: this.ghosts,
      stats: this.stats(),
      system,
    };
  }

  /** Whether usage() answers: the /proc source does, ps-list's does not. */
  get measuresUsage(): boolean {
    return this.source.usage !== undefined;
  }

  /** CPU times and virtual memory of one process in the last sample; undefined where the source has none. */
  usage(pid: number): ProcessUsage | undefined {
    return this.source.usage?.(pid);
  }

  history(pid: number): ProcessHistory | null {
    return this.historyStore.get(pid, this.intervalMs);
  }

  stats(): MonitorStats {
    return {
      processCount: this.rows.size,
      intervalMs: this.intervalMs,
      selfCpuPct: this.selfCpuPct(),
      lastTickMs: roundTenth(this.lastTickMs),
      paused: this.paused,
    };
  }

  /**
   * CPU time spent in the last ticks over the time they span (at least one interval each). It is
   * the whole process's CPU while a tick runs, so work the app does while a tick yields counts too.
   */
  private selfCpuPct(): number {
    const first = this.costs[0];
    if (!first) return 0;
    const spanMs = Math.max(performance.now() - first.startedAt, this.costs.length * this.intervalMs);
    const cpuMs = this.costs.reduce((sum, cost) => sum + cost.cpuMicros, 0) / 1000;
    return roundTenth((cpuMs / spanMs) * 100);
  }

  private resolveInterval(): void {
    let fastest = this.userIntervalMs;
    for (const lease of this.leases) fastest = Math.min(fastest, lease.intervalMs);
    if (fastest === this.intervalMs) return;
    this.intervalMs = fastest;
    if (this.running && !this.paused && !this.ticking) this.schedule(this.intervalMs);
  }

  private schedule(delayMs: number): void {
    this.clearTimer();
    this.timer = setTimeout(() => void this.loop(), delayMs);
    // The loop must never be what keeps the app (or a test run) alive.
    this.timer.unref();
  }

  private async loop(): Promise<void> {
    this.timer = null;
    if (!this.running || this.paused) return;
    const started = performance.now();
    try {
      await this.tick();
    } catch (error) {
      this.events.emit('error', error);
    }
    if (!this.running || this.paused) return;
    const elapsed = performance.now() - started;
    // Next beat on the grid: a tick that overran one interval skips that beat instead of piling up.
    this.schedule(this.intervalMs - (elapsed % this.intervalMs));
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

const clampInterval = (ms: number) => clamp(ms, INTERVAL_MS.min, INTERVAL_MS.max);
const clampHistory = (n: number) => clamp(n, HISTORY_LENGTH.min, HISTORY_LENGTH.max);

function clamp(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return min;
  return Math.min(max, Math.max(min, Math.round(value)));
}

/**
 * Replaces each row that `changes` picks by a copy of its own, in the order and by pid: the source may
 * give the same row object again next tick, which must come back as it went.
 */
function ownCopies(forest: Forest<TreeRow>, changes: (pid: number) => boolean): void {
  const { order, byPid } = forest;
  for (let i = 0; i < order.length; i++) {
    const row = order[i]!;
    if (changes(row.pid)) byPid.set(row.pid, (order[i] = copyRow(row)));
  }
}

/** The groups of the children Proctor runs and of their guards: each leads its own. */
function supervisedGroups(supervised: readonly SupervisedInfo[]): Set<number> {
  const groups = new Set<number>();
  for (const child of supervised) {
    if (child.pid !== null) groups.add(child.pid);
    if (child.guardPid !== null) groups.add(child.guardPid);
  }
  return groups;
}
