// The backend's Prometheus metrics, made at the first scrape (or when a metrics port of its own opens):
// prom-client and its default collectors are a few megabytes and a 100 ms timer that a backend nobody
// scrapes does not need. Counters count from then on, as an exporter started at that moment would.
import type { ProgramInfo } from '../../../shared/model';
import type { Monitor } from '../monitor';
import type { Supervisor } from '../supervisor';
import type { ProctorMetrics } from './metrics';

/** What a /metrics route needs of the backend's metrics. */
export interface MetricsSource {
  /** The exposition's content type; asked after `render`. */
  readonly contentType: string;
  render(): Promise<string>;
  /** Starts counting now, ahead of the first scrape. */
  load(): Promise<void>;
  dispose(): void;
}

export class LazyMetrics implements MetricsSource {
  #loading: Promise<ProctorMetrics> | null = null;
  #metrics: ProctorMetrics | null = null;
  #disposed = false;

  constructor(
    private readonly monitor: Monitor,
    private readonly supervisor: Supervisor,
    private readonly stack: () => readonly ProgramInfo[],
  ) {}

  get contentType(): string {
    if (this.#metrics === null) throw new Error('the metrics are not loaded before their first render');
    return this.#metrics.contentType;
  }

  async render(): Promise<string> {
    return (await this.#load()).render();
  }

  async load(): Promise<void> {
    await this.#load();
  }

  dispose(): void {
    this.#disposed = true;
    this.#metrics?.dispose();
  }

  #load(): Promise<ProctorMetrics> {
    this.#loading ??= import('./metrics').then(({ ProctorMetrics }) => {
      const metrics = new ProctorMetrics(this.monitor, this.supervisor, this.stack);
      // Disposed while it loaded: nothing of it may keep listening or sampling.
      if (this.#disposed) metrics.dispose();
      else this.#metrics = metrics;
      return metrics;
    });
    return this.#loading;
  }
}
