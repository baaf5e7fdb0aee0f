/** Gives the event loop a turn (timers, IPC) between slices of a long synchronous job. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A time budget for synchronous work: `spent(now)` says when the current slice has run longer than
 * the budget; `yield()` lets the loop run and starts a new slice.
 */
export class Budget {
  private sliceStart = performance.now();

  constructor(private readonly ms: number) {}

  spent(now: number): boolean {
    return now - this.sliceStart > this.ms;
  }

  async yield(): Promise<void> {
    await yieldToLoop();
    this.sliceStart = performance.now();
  }
}
