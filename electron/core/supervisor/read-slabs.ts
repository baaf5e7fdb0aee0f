// Memory for reading children's pipes, used again instead of a new buffer a read. Node gives each read
// a fresh buffer outside the JavaScript heap; a child flooding its output makes 100 MB of them a second,
// and that external memory is what kept V8's garbage collector running: in the logs bench, V8's helper
// threads spent 100-200 ms of CPU a 128 MiB round on it, half as much as the main thread. Reads land in
// slabs instead, one after the other, and a slab goes back to the pool once nobody holds a line in it.
//
// The rule: whoever keeps a block of lines beyond the call that gave it (the output ring, the log
// writer's queue) holds its slab, and releases it exactly once when done. A slab nobody releases is
// only a slab the pool does not get back: the garbage collector frees it as it would any buffer.

/** One slab's size: a few reads of a flood, or thousands of short lines. */
export const SLAB_BYTES = 128 * 1024;
/** A read is offered at least this much room; less left in a slab, and the next slab is taken. */
const MIN_READ_BYTES = 32 * 1024;
/**
 * How often free slabs that sat unused since the last look are let go. In a flood the log writer's
 * queue holds tens of megabytes of lines (up to its maxPendingBytes), so the pool must keep that many
 * to stop allocating; once the flood is over they go within two periods.
 */
const TRIM_MS = 10_000;

export class Slab {
  readonly buffer = Buffer.allocUnsafeSlow(SLAB_BYTES);
  #holds = 0;

  hold(): void {
    this.#holds++;
  }

  release(): void {
    if (--this.#holds === 0) pool.give(this);
  }
}

class SlabPool {
  readonly #free: Slab[] = [];
  #made = 0;
  #reused = 0;
  /** The fewest free slabs since the last trim: that many were not needed all that time. */
  #fewest = 0;
  #trimmer: NodeJS.Timeout | null = null;

  get size(): number {
    return this.#free.length;
  }

  /** Slabs allocated so far, and times one was taken from the pool instead. */
  get counts(): { made: number; reused: number } {
    return { made: this.#made, reused: this.#reused };
  }

  take(): Slab {
    const reused = this.#free.pop();
    if (reused) this.#reused++;
    const slab = reused ?? this.#make();
    this.#fewest = Math.min(this.#fewest, this.#free.length);
    slab.hold();
    return slab;
  }

  give(slab: Slab): void {
    this.#free.push(slab);
    if (this.#trimmer !== null) return;
    this.#fewest = this.#free.length;
    this.#trimmer = setInterval(() => this.#trim(), TRIM_MS).unref();
  }

  #make(): Slab {
    this.#made++;
    return new Slab();
  }

  #trim(): void {
    this.#free.splice(0, this.#fewest);
    this.#fewest = this.#free.length;
    if (this.#free.length > 0) return;
    clearInterval(this.#trimmer!);
    this.#trimmer = null;
  }
}

const pool = new SlabPool();

/** Slabs made and reused so far, and waiting in the pool now: for tests to see them used again. */
export function slabCounts(): { made: number; reused: number; free: number } {
  return { ...pool.counts, free: pool.size };
}

/**
 * One pipe's reads, each placed after the last in the same slab. The reader holds the slab it is
 * filling, so an idle pipe keeps at most one slab.
 */
export class SlabReads {
  #slab: Slab | null = null;
  #used = 0;

  /** Where the next read goes. */
  room(): Buffer {
    if (this.#slab === null || SLAB_BYTES - this.#used < MIN_READ_BYTES) {
      this.#slab?.release();
      this.#slab = pool.take();
      this.#used = 0;
    }
    return this.#slab.buffer.subarray(this.#used);
  }

  /** The `bytes` just read into `room()`, and the slab a keeper of them must hold. */
  take(bytes: number): { data: Buffer; slab: Slab } {
    const slab = this.#slab!;
    const data = slab.buffer.subarray(this.#used, this.#used + bytes);
    this.#used += bytes;
    return { data, slab };
  }

  /** The pipe is closed: its slab goes back once the lines in it are released. */
  close(): void {
    this.#slab?.release();
    this.#slab = null;
  }
}
