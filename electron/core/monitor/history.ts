import { HISTORY_LENGTH } from '../../../shared/limits';
import type { ProcessHistory, ProcessRow } from '../../../shared/model';

/** Rings per block: a block's two sample arrays are about 120 KiB each at the default length. */
const BLOCK_SLOTS = 256;
const BLOCK_SHIFT = 8;

/**
 * Per-process rings of CPU% and RSS, one sample a tick. A process's rings outlive it by one ring's
 * length (so the window can still show a process that just died), then go.
 *
 * Rings live in blocks of BLOCK_SLOTS: slot `s` is ring `s % BLOCK_SLOTS` of block `s / BLOCK_SLOTS`,
 * its samples and bookkeeping at that index in the block's typed arrays. Two buffers per process (on a
 * busy machine tens of thousands, each its own allocation and V8 wrapper objects) cost several times the
 * samples they hold; a block costs its samples. Blocks are added as processes come and packed again when
 * most of their slots are free. RSS is kept in KiB in 32 bits.
 */
export class History {
  /** pid → slot */
  private readonly slots = new Map<number, number>();
  /** Slots no process holds, reused before a block is added. */
  private free: number[] = [];
  private blocks: Block[] = [];
  private tickNo = 0;

  constructor(private length: number = HISTORY_LENGTH.default) {}

  get capacity(): number {
    return this.length;
  }

  /** Processes with rings, alive or recently gone. */
  get size(): number {
    return this.slots.size;
  }

  record(rows: readonly ProcessRow[]): void {
    const tick = ++this.tickNo;
    const { length } = this;
    for (const row of rows) {
      let slot = this.slots.get(row.pid);
      if (slot === undefined) slot = this.take(row.pid, row.startedAt);
      const block = this.blocks[slot >> BLOCK_SHIFT]!;
      const ring = slot & (BLOCK_SLOTS - 1);
      if (block.startedAt[ring] !== row.startedAt) block.clear(ring, row.startedAt);
      const head = block.head[ring]!;
      const at = ring * length + head;
      block.cpuPct[at] = row.cpuPct;
      block.rssKiB[at] = Math.min(Math.round(row.rssBytes / 1024), 0xffffffff);
      block.head[ring] = head + 1 === length ? 0 : head + 1;
      if (block.count[ring]! < length) block.count[ring]!++;
      block.lastSeenTick[ring] = tick;
    }
    // forEach, not for-of: no [pid, slot] pair allocated per process per tick.
    this.slots.forEach((slot, pid) => {
      const seen = this.blocks[slot >> BLOCK_SHIFT]!.lastSeenTick[slot & (BLOCK_SLOTS - 1)]!;
      if (tick - seen > length) {
        this.slots.delete(pid);
        this.free.push(slot);
      }
    });
    // Packed again only when a block and a half stand empty, so a steady churn never repacks.
    if (this.free.length >= BLOCK_SLOTS * 1.5) this.rebuild(length);
  }

  /** Oldest sample first. */
  get(pid: number, intervalMs: number): ProcessHistory | null {
    const slot = this.slots.get(pid);
    if (slot === undefined) return null;
    const block = this.blocks[slot >> BLOCK_SHIFT]!;
    const cpuPct: number[] = [];
    const rssBytes: number[] = [];
    for (const at of block.samples(slot & (BLOCK_SLOTS - 1), this.length)) {
      // Float32 holds 12.3 as 12.30000019; give back the tenth the source reported.
      cpuPct.push(Math.round(block.cpuPct[at]! * 10) / 10);
      rssBytes.push(block.rssKiB[at]! * 1024);
    }
    return { pid, intervalMs, cpuPct, rssBytes };
  }

  /** Changes the ring length, keeping each process's newest samples. */
  resize(length: number): void {
    if (length !== this.length) this.rebuild(length);
  }

  /** A free slot for `pid`, adding a block when there is none; a new slot's ring starts empty. */
  private take(pid: number, startedAt: number): number {
    if (this.free.length === 0) {
      const first = this.blocks.length * BLOCK_SLOTS;
      this.blocks.push(new Block(this.length));
      this.free = descending(first, first + BLOCK_SLOTS);
    }
    const slot = this.free.pop()!;
    this.blocks[slot >> BLOCK_SHIFT]!.clear(slot & (BLOCK_SLOTS - 1), startedAt);
    this.slots.set(pid, slot);
    return slot;
  }

  /** Every ring packed from slot 0 on into as few blocks of rings of `length` as hold them, newest samples kept. */
  private rebuild(length: number): void {
    const blocks = Array.from({ length: Math.ceil(this.slots.size / BLOCK_SLOTS) }, () => new Block(length));
    let slot = 0;
    for (const [pid, from] of this.slots) {
      const old = this.blocks[from >> BLOCK_SHIFT]!;
      const oldRing = from & (BLOCK_SLOTS - 1);
      const block = blocks[slot >> BLOCK_SHIFT]!;
      const ring = slot & (BLOCK_SLOTS - 1);
      const kept = old.samples(oldRing, this.length).slice(-length);
      kept.forEach((at, i) => {
        block.cpuPct[ring * length + i] = old.cpuPct[at]!;
        block.rssKiB[ring * length + i] = old.rssKiB[at]!;
      });
      block.startedAt[ring] = old.startedAt[oldRing]!;
      block.lastSeenTick[ring] = old.lastSeenTick[oldRing]!;
      block.count[ring] = kept.length;
      block.head[ring] = kept.length % length;
      this.slots.set(pid, slot++);
    }
    this.blocks = blocks;
    this.length = length;
    this.free = descending(slot, blocks.length * BLOCK_SLOTS);
  }
}

/** BLOCK_SLOTS rings and their bookkeeping, one typed array each. */
class Block {
  readonly cpuPct: Float32Array;
  readonly rssKiB: Uint32Array;
  readonly startedAt = new Float64Array(BLOCK_SLOTS);
  readonly lastSeenTick = new Float64Array(BLOCK_SLOTS);
  /** Where the ring's next sample goes. */
  readonly head = new Uint16Array(BLOCK_SLOTS);
  readonly count = new Uint16Array(BLOCK_SLOTS);

  constructor(length: number) {
    this.cpuPct = new Float32Array(BLOCK_SLOTS * length);
    this.rssKiB = new Uint32Array(BLOCK_SLOTS * length);
  }

  clear(ring: number, startedAt: number): void {
    this.startedAt[ring] = startedAt;
    this.head[ring] = 0;
    this.count[ring] = 0;
  }

  /** Indexes into the sample arrays of the ring, oldest first. */
  samples(ring: number, length: number): number[] {
    const count = this.count[ring]!;
    const first = (this.head[ring]! - count + length) % length;
    const out: number[] = [];
    for (let i = 0; i < count; i++) out.push(ring * length + ((first + i) % length));
    return out;
  }
}

/** Slots `end - 1` down to `start`: popped from the end, the lowest is taken first. */
function descending(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, i) => end - 1 - i);
}
