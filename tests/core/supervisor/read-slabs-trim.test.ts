// The slab pool lets go of what a flood left behind: free slabs no read needed for a whole trim period
// go, those in use stay. A file of its own, so the pool starts empty and its timer is a fake one.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SlabReads, slabCounts } from '../../../electron/core/supervisor/read-slabs';

/** Takes a slab for each of `count` pipes, then closes them all: their slabs go back to the pool. */
function readAndClose(count: number): void {
  const pipes = Array.from({ length: count }, () => new SlabReads());
  for (const pipe of pipes) pipe.room();
  for (const pipe of pipes) pipe.close();
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the slab pool', () => {
  it('lets go of the free slabs no read needed for a trim period, and keeps the ones it needed', () => {
    vi.useFakeTimers();
    readAndClose(3);
    expect(slabCounts()).toEqual({ made: 3, reused: 0, free: 3 });
    // Two pipes at once during the period: one slab was never needed.
    readAndClose(2);
    expect(slabCounts()).toEqual({ made: 3, reused: 2, free: 3 });
    vi.advanceTimersByTime(10_000);
    expect(slabCounts().free).toBe(2);
    // A period with no reads: the rest go.
    vi.advanceTimersByTime(10_000);
    expect(slabCounts().free).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
