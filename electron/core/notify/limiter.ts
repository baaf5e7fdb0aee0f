// A crash loop must not become a notification a second: the first event of a burst goes out at once,
// the rest are counted, and one summary follows when the burst has been quiet for a while (or has
// gone on too long to wait for).
export interface BurstOptions {
  /** The burst is over once no event came for this long. */
  quietMs: number;
  /** A burst that never quiets still gets its summary after this long. */
  maxHoldMs: number;
}

export const DEFAULT_BURST_OPTIONS: BurstOptions = { quietMs: 60_000, maxHoldMs: 600_000 };

export interface Held<K extends string> {
  key: string;
  count: number;
  kinds: Partial<Record<K, number>>;
  since: number;
  until: number;
}

interface Burst<K extends string> {
  startedAt: number;
  held: Held<K> | null;
  timer: NodeJS.Timeout;
}

export class BurstLimiter<K extends string> {
  readonly #bursts = new Map<string, Burst<K>>();

  constructor(
    private readonly options: BurstOptions,
    private readonly summarize: (held: Held<K>) => void,
  ) {}

  /** True when this event should go out now; false when it was counted into the burst's summary. */
  offer(key: string, kind: K, at = Date.now()): boolean {
    const burst = this.#bursts.get(key);
    if (!burst) {
      this.#bursts.set(key, { startedAt: at, held: null, timer: this.#timer(key, at) });
      return true;
    }
    clearTimeout(burst.timer);
    const held = (burst.held ??= {
      key,
      count: 0,
      kinds: {} as Partial<Record<K, number>>,
      since: at,
      until: at,
    });
    held.count++;
    held.kinds[kind] = (held.kinds[kind] ?? 0) + 1;
    held.until = at;
    burst.timer = this.#timer(key, burst.startedAt);
    return false;
  }

  /** Sends the summaries still held (on shutdown) and stops the timers. */
  flush(): void {
    for (const key of [...this.#bursts.keys()]) this.#end(key);
  }

  #timer(key: string, startedAt: number): NodeJS.Timeout {
    const untilMax = startedAt + this.options.maxHoldMs - Date.now();
    const timer = setTimeout(() => this.#end(key), Math.max(0, Math.min(this.options.quietMs, untilMax)));
    timer.unref();
    return timer;
  }

  #end(key: string): void {
    const burst = this.#bursts.get(key);
    if (!burst) return;
    clearTimeout(burst.timer);
    this.#bursts.delete(key);
    if (burst.held) this.summarize(burst.held);
  }
}
