// Live output goes out in batches: a child printing a million lines a second must not become a
// million events. Each child's batch keeps only its newest lines; the ring keeps the rest for paging.
import type { OutputLine } from '../../shared/model';

export class OutputBatcher {
  private readonly pending = new Map<string, OutputLine[]>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly flushTo: (id: string, lines: OutputLine[]) => void,
    private readonly intervalMs = 100,
    private readonly maxLinesPerFlush = 500,
  ) {}

  push(id: string, line: OutputLine): void {
    let lines = this.pending.get(id);
    if (!lines) this.pending.set(id, (lines = []));
    lines.push(line);
    if (lines.length > this.maxLinesPerFlush * 2) lines.splice(0, lines.length - this.maxLinesPerFlush);
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batches = [...this.pending];
    this.pending.clear();
    for (const [id, lines] of batches) this.flushTo(id, lines.slice(-this.maxLinesPerFlush));
  }

  dispose(): void {
    this.flush();
  }
}
