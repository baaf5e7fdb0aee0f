// A child's output: each chunk read from a pipe becomes one block of lines (their byte bounds in the
// chunk, one wall time, consecutive seqs), kept in a bounded ring of blocks with a count of what fell
// out. Nothing is decoded into strings until someone reads or subscribes to lines: a child printing a
// million lines a second costs one newline search a line, not a string and an object a line.
import type { OutputLine, OutputStream } from '../../../shared/model';
import type { Slab } from './read-slabs';

export interface OutputLimits {
  /** Lines kept; the oldest go first. */
  maxLines: number;
  /** Bytes of line text kept, whichever of the two limits is reached first. */
  maxBytes: number;
  /** One line's stored length; the rest of a longer line is counted, not kept. */
  maxLineBytes: number;
}

export const DEFAULT_OUTPUT_LIMITS: OutputLimits = {
  maxLines: 5000,
  maxBytes: 5 * 1024 * 1024,
  maxLineBytes: 16 * 1024,
};

/** Lines read in one go from one stream: they share the time they arrived at. */
export interface OutputBlock {
  stream: OutputStream;
  at: number;
  /** The seq of the first line; the others follow one by one. */
  firstSeq: number;
  count: number;
  data: Buffer;
  /** Line i is `data[bounds[2i], bounds[2i + 1])`, without its newline (nor a CR before it). */
  bounds: Int32Array;
  /** Bytes of line text, the sum of the bounds' spans. */
  bytes: number;
  /** Bytes cut off lines longer than maxLineBytes, by line index; null when no line was cut. */
  cut: Map<number, number> | null;
  /**
   * The read slab `data` lies in: whoever keeps the block past the call that gave it holds the slab,
   * and releases it once (see read-slabs.ts). Null when `data` is the block's own memory.
   */
  slab: Slab | null;
}

/** What a cut line says after its kept part, in the ring and in the log on disk alike. */
export function cutNote(excessBytes: number): string {
  return ` … [line truncated: ${excessBytes} more bytes]`;
}

/** Line `index` of `block` as text. */
export function lineText(block: OutputBlock, index: number): string {
  const text = block.data.toString('utf8', block.bounds[2 * index], block.bounds[2 * index + 1]);
  const excess = block.cut?.get(index);
  return excess === undefined ? text : text + cutNote(excess);
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Cuts one stream's bytes into blocks of whole lines across chunk boundaries. Memory per stream is
 * bounded by `maxLineBytes`: a line without a newline in sight is cut there and the excess only counted.
 */
export class LineIntake {
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #excessBytes = 0;
  /** Reused for every chunk's bounds; each block gets an exact copy. */
  #bounds: Int32Array = new Int32Array(2 * 1024);

  constructor(
    private readonly stream: OutputStream,
    private readonly maxLineBytes: number,
    private readonly emit: (block: OutputBlock) => void,
  ) {}

  /** `slab` is where `chunk` lies, when it lies in one (see OutputBlock.slab). */
  write(chunk: Buffer, slab: Slab | null = null): void {
    let start = 0;
    let newline = chunk.indexOf(NEWLINE);
    if (newline === -1) return this.#keep(chunk, 0, chunk.length);
    const at = Date.now();
    if (this.#pendingBytes > 0 || this.#excessBytes > 0) {
      this.#keep(chunk, 0, newline);
      this.#flush(at);
      start = newline + 1;
      newline = chunk.indexOf(NEWLINE, start);
    }
    const firstStart = start;
    let bounds: Int32Array = this.#bounds;
    let count = 0;
    let bytes = 0;
    let cut: Map<number, number> | null = null;
    while (newline !== -1) {
      let end = newline > start && chunk[newline - 1] === CARRIAGE_RETURN ? newline - 1 : newline;
      if (end - start > this.maxLineBytes) {
        (cut ??= new Map()).set(count, end - start - this.maxLineBytes);
        end = start + this.maxLineBytes;
      }
      if (2 * count + 2 > bounds.length) bounds = this.#grow();
      bounds[2 * count] = start;
      bounds[2 * count + 1] = end;
      bytes += end - start;
      count++;
      start = newline + 1;
      newline = chunk.indexOf(NEWLINE, start);
    }
    if (count > 0) this.#emitBlock(chunk, slab, firstStart, start, at, count, bytes, cut);
    if (start < chunk.length) this.#keep(chunk, start, chunk.length);
  }

  /** The stream ended: a last line without a newline is still a line. */
  end(): void {
    if (this.#pendingBytes > 0 || this.#excessBytes > 0) this.#flush(Date.now());
  }

  #emitBlock(
    chunk: Buffer,
    slab: Slab | null,
    from: number,
    to: number,
    at: number,
    count: number,
    bytes: number,
    cut: Map<number, number> | null,
  ): void {
    const bounds = this.#bounds.slice(0, 2 * count);
    // Lines that fill most of the chunk keep it; a few short ones are copied out, so the ring's
    // byte bound stays close to the memory it really pins.
    let data = chunk;
    let kept = slab;
    if (2 * (to - from) < chunk.length) {
      data = Buffer.from(chunk.subarray(from, to));
      kept = null;
      for (let i = 0; i < bounds.length; i++) bounds[i]! -= from;
    }
    this.emit({ stream: this.stream, at, firstSeq: 0, count, data, bounds, bytes, cut, slab: kept });
  }

  #grow(): Int32Array {
    const bigger = new Int32Array(this.#bounds.length * 2);
    bigger.set(this.#bounds);
    this.#bounds = bigger;
    return bigger;
  }

  #keep(chunk: Buffer, start: number, end: number): void {
    const room = Math.max(0, this.maxLineBytes - this.#pendingBytes);
    const kept = Math.min(room, end - start);
    // A copy, so a short remainder does not pin the whole chunk it came in.
    if (kept > 0) this.#pending.push(Buffer.from(chunk.subarray(start, start + kept)));
    this.#pendingBytes += kept;
    this.#excessBytes += end - start - kept;
  }

  #flush(at: number): void {
    const data = Buffer.concat(this.#pending, this.#pendingBytes);
    const excess = this.#excessBytes;
    const end = excess === 0 && data.at(-1) === CARRIAGE_RETURN ? data.length - 1 : data.length;
    const cut = excess > 0 ? new Map([[0, excess]]) : null;
    this.emit({
      stream: this.stream,
      at,
      firstSeq: 0,
      count: 1,
      data,
      bounds: Int32Array.of(0, end),
      bytes: end,
      cut,
      slab: null,
    });
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#excessBytes = 0;
  }
}

export type OutputListener = (line: OutputLine) => void;
export type BlockListener = (block: OutputBlock) => void;

/** The last lines of a child's stdout and stderr, numbered by `seq` (from 1, never reused). */
export class OutputRing {
  readonly #limits: OutputLimits;
  /** Blocks oldest first; the first `#head` are spent and cut off in batches. */
  #blocks: OutputBlock[] = [];
  #head = 0;
  /** Lines of the oldest live block already dropped. */
  #skip = 0;
  readonly #listeners = new Set<OutputListener>();
  readonly #blockListeners = new Set<BlockListener>();
  #count = 0;
  #bytes = 0;
  #nextSeq = 1;
  #dropped = 0;

  constructor(limits: Partial<OutputLimits> = {}) {
    this.#limits = { ...DEFAULT_OUTPUT_LIMITS, ...limits };
  }

  get limits(): Readonly<OutputLimits> {
    return this.#limits;
  }

  /** Lines that fell out of the ring so far. */
  get dropped(): number {
    return this.#dropped;
  }

  /** The seq of the oldest line kept (one past the newest when none is). */
  get oldestSeq(): number {
    return this.#nextSeq - this.#count;
  }

  /** The seq of the newest line, 0 before the first. */
  get newestSeq(): number {
    return this.#nextSeq - 1;
  }

  /** A reader of one stream of the child, feeding this ring. */
  intake(stream: OutputStream): LineIntake {
    return new LineIntake(stream, this.#limits.maxLineBytes, (block) => this.push(block));
  }

  /** Takes a block cut by an intake: numbers its lines, keeps them, tells the listeners. */
  push(block: OutputBlock): void {
    block.firstSeq = this.#nextSeq;
    this.#nextSeq += block.count;
    block.slab?.hold();
    this.#blocks.push(block);
    this.#count += block.count;
    this.#bytes += block.bytes;
    this.#evict();
    for (const listener of this.#blockListeners) listener(block);
    if (this.#listeners.size === 0) return;
    for (let i = 0; i < block.count; i++) {
      const line: OutputLine = {
        seq: block.firstSeq + i,
        at: block.at,
        stream: block.stream,
        text: lineText(block, i),
      };
      for (const listener of this.#listeners) listener(line);
    }
  }

  /** Lines with `seq` greater than `since`, oldest first, at most `limit` of them. */
  lines(since = 0, limit = Number.POSITIVE_INFINITY): OutputLine[] {
    const result: OutputLine[] = [];
    let index = this.#find(since + 1);
    for (; index < this.#blocks.length && result.length < limit; index++) {
      const block = this.#blocks[index]!;
      const first = Math.max(index === this.#head ? this.#skip : 0, since + 1 - block.firstSeq);
      for (let i = first; i < block.count && result.length < limit; i++) {
        result.push({
          seq: block.firstSeq + i,
          at: block.at,
          stream: block.stream,
          text: lineText(block, i),
        });
      }
    }
    return result;
  }

  /** Live lines as they arrive, decoded; returns the unsubscribe function. */
  subscribe(listener: OutputListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Live blocks as they arrive, undecoded; returns the unsubscribe function. */
  subscribeBlocks(listener: BlockListener): () => void {
    this.#blockListeners.add(listener);
    return () => this.#blockListeners.delete(listener);
  }

  /** The index of the live block holding `seq` (or the first after it). */
  #find(seq: number): number {
    let low = this.#head;
    let high = this.#blocks.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const block = this.#blocks[middle]!;
      if (block.firstSeq + block.count <= seq) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  #evict(): void {
    const { maxLines, maxBytes } = this.#limits;
    while (this.#count > maxLines || (this.#bytes > maxBytes && this.#count > 1)) {
      const block = this.#blocks[this.#head]!;
      this.#bytes -= block.bounds[2 * this.#skip + 1]! - block.bounds[2 * this.#skip]!;
      this.#count--;
      this.#dropped++;
      if (++this.#skip === block.count) {
        block.slab?.release();
        this.#head++;
        this.#skip = 0;
      }
    }
    // Spent blocks are cut off once they are as many as the live ones: each is moved once on average,
    // and what they pin stays below what the live ones do.
    if (2 * this.#head > this.#blocks.length) {
      this.#blocks = this.#blocks.slice(this.#head);
      this.#head = 0;
    }
  }
}
