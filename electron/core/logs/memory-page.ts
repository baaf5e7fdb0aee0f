// A page of a child's lines from its ring in memory, for when its log on disk is not being written:
// the window keeps showing the output, positioned by seq.
import type { LogPage } from '../../../shared/model';
import type { OutputRing } from '../supervisor/output';

export function memoryPage(
  ring: Pick<OutputRing, 'oldestSeq' | 'newestSeq' | 'lines'>,
  from: number | undefined,
  limit: number,
): LogPage {
  const first = ring.oldestSeq - 1;
  const end = ring.newestSeq;
  // Without `from`, the newest lines; seq n is at position n - 1.
  const since = Math.max(first, from ?? end - limit);
  const lines = ring.lines(since, limit).map((line) => ({ ...line, pos: line.seq - 1 }));
  return { lines, first, end, inMemory: true };
}
