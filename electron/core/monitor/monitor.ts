import { EventEmitter } from 'node:events';
import type {
  Ghost,
  MonitorStats,
  ProcessHistory,
  TreeDelta,
  TreeRow,
  TreeSnapshot,
} from '../../../shared/model';
import { yieldToLoop } from './budget';
import { Classifier, type SupervisedInfo } from './classify';
import { roundTenth } from './cpu';
import { diffRows } from './delta';
import { DEFAULT_HISTORY_LENGTH, History } from './history';
import { createDefaultSource, type ProcessSource } from './source';
import { buildForest } from './tree';

export interface MonitorOptions {
  source?: ProcessSource;
  /** Default 1000, clamped to 250..10000. */
  intervalMs?: number;
  /** Samples kept per process; default 120, clamped to 10..3600 like the setting. */
  historyLength?: number;
  /** Asked once per tick; the service passes the Supervisor's children. */
  supervised?: () => SupervisedInfo[];
}

export const MIN_INTERVAL_MS = 250;
export const MAX_INTERVAL_MS = 10_000;
export const MIN_HISTORY = 10;
export const MAX_HISTORY = 3600;
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
 * 'error' (only if someone listens) when a tick failed; the loop keeps going either way.
 */
export class Monitor extends EventEmitter {
  private readonly source: ProcessSource;
  private readonly supervised: () => SupervisedInfo[];
  private readonly classifier = new Classifier();
  private readonly historyStore: History;
  private intervalMs: number;
  private rows = new Map<number, TreeRow>();
  private ordered: TreeRow[] = [];
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
    super();
    this.source = options.source ?? createDefaultSource();
    this.supervised = options.supervised ?? (() => []);
    this.intervalMs = clamp(options.intervalMs ?? 1000, MIN_INTERVAL_MS, MAX_INTERVAL_MS);
    this.historyStore = new History(
      clamp(options.historyLength ?? DEFAULT_HISTORY_LENGTH, MIN_HISTORY, MAX_HISTORY),
    );
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

  setIntervalMs(ms: number): void {
    this.intervalMs = clamp(ms, MIN_INTERVAL_MS, MAX_INTERVAL_MS);
    if (this.running && !this.paused && !this.ticking) this.schedule(this.intervalMs);
  }

  setHistoryLength(n: number): void {
    this.historyStore.resize(clamp(n, MIN_HISTORY, MAX_HISTORY));
  }

  /** One sample now; null when a tick is already running. Errors reject (the loop reports them). */
  async tick(): Promise<TreeDelta | null> {
    if (this.ticking) return null;
    this.ticking = true;
    const wallStart = performance.now();
    const cpuStart = process.cpuUsage();
    try {
      const sampled = await this.source.sample();
      const at = Date.now();
      // Each stage takes a few ms at 5,000 processes; the loop gets a turn between them.
      await yieldToLoop();
      const forest = buildForest(sampled);
      const { rows, ghosts } = this.classifier.classify(sampled, forest, this.supervised(), at);
      await yieldToLoop();
      this.historyStore.record(rows);
      await yieldToLoop();

      const byPid = new Map<number, TreeRow>();
      for (const row of rows) byPid.set(row.pid, row);
      const changes = diffRows(this.rows, rows, byPid);
      this.rows = byPid;
      this.ordered = forest.order.map((pid) => byPid.get(pid)!);
      this.ghosts = ghosts;
      this.seq++;
      this.at = at;

      const cpu = process.cpuUsage(cpuStart);
      this.lastTickMs = performance.now() - wallStart;
      this.costs.push({ startedAt: wallStart, cpuMicros: cpu.user + cpu.system });
      if (this.costs.length > CPU_WINDOW_TICKS) this.costs.shift();

      const delta: TreeDelta = { seq: this.seq, at, ...changes, ghosts, stats: this.stats() };
      this.emit('delta', delta);
      return delta;
    } finally {
      this.ticking = false;
    }
  }

  snapshot(): TreeSnapshot {
    return { seq: this.seq, at: this.at, rows: this.ordered, ghosts: this.ghosts, stats: this.stats() };
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
      if (this.listenerCount('error') > 0) this.emit('error', error);
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

function clamp(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return min;
  return Math.min(max, Math.max(min, Math.round(value)));
}
