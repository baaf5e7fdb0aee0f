// Live output goes out in batches: a child printing a million lines a second must not become a
// million events. A flush reads each child's newest lines from its ring, so only what is sent is
// ever decoded; the ring keeps the rest for paging.
import type { OutputLine } from '../../shared/model';

/** Where a child's lines are read from: its ring. */
export interface LineSource {
  readonly newestSeq: number;
  lines(since?: number, limit?: number): OutputLine[];
}

export class OutputBatcher {
  /** By child id: its ring and the newest seq already sent before this batch. */
  private readonly pending = new Map<string, { source: LineSource; since: number }>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly flushTo: (id: string, lines: OutputLine[]) => void,
    private readonly intervalMs = 100,
    private readonly maxLinesPerFlush = 500,
  ) {}

  /** Lines from `firstSeq` on are new in `source`. */
  push(id: string, source: LineSource, firstSeq: number): void {
    if (!this.pending.has(id)) this.pending.set(id, { source, since: firstSeq - 1 });
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batches = [...this.pending];
    this.pending.clear();
    for (const [id, { source, since }] of batches) {
      const from = Math.max(since, source.newestSeq - this.maxLinesPerFlush);
      const lines = source.lines(from, this.maxLinesPerFlush);
      if (lines.length > 0) this.flushTo(id, lines);
    }
  }

  dispose(): void {
    this.flush();
  }
}
