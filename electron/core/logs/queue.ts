// Records waiting for the disk (see format.ts): a header and the child's bytes as the pipe gave them,
// not copied. A child printing a million lines a second costs a header a chunk read, not a prefix and
// a copy a line.
import type { OutputStream } from '../../../shared/model';
import { cutNote, type OutputBlock } from '../supervisor/output';
import type { Slab } from '../supervisor/read-slabs';
import { formatHeader, HEADER_MAX } from './format';

/** One record, written as it is with the others of a batch in one writev. */
export interface Chunk {
  buffers: Buffer[];
  bytes: number;
  lines: number;
  /** The read slab the lines lie in, held until the record is taken (see OutputBlock.slab). */
  slab: Slab | null;
}

/** The longest note after a cut line (see cutNote). */
const CUT_NOTE_MAX = 64;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const NEWLINE_BUFFER = Buffer.from('\n');

export class LineQueue {
  readonly #chunks: Chunk[] = [];
  #bytes = 0;
  // A fast child fills many chunks in the same millisecond: the time is formatted once for all of them.
  #lastAt = Number.NaN;
  #lastIso = '';

  /** `chunkBytes` bounds one record (but for a single longer line), so it always fits in an empty segment. */
  constructor(readonly chunkBytes: number) {}

  /** Bytes waiting. */
  get bytes(): number {
    return this.#bytes;
  }

  get empty(): boolean {
    return this.#chunks.length === 0;
  }

  /** Bytes a note would take at most, to decide before queueing it whether it is dropped. */
  static maxBytes(text: string): number {
    return HEADER_MAX + 3 * text.length + 1;
  }

  /** Bytes a block of lines would take, about (a block split into several records has a header each). */
  static maxBlockBytes(block: OutputBlock): number {
    return HEADER_MAX + block.bytes + 2 * block.count + (block.cut?.size ?? 0) * CUT_NOTE_MAX;
  }

  /** One line of Proctor's own (a note), a record of its own. */
  push(at: number, stream: OutputStream | 'note', text: string): void {
    // A newline would make it two lines in a record of one.
    this.#record(at, stream, 0, 1, [Buffer.from(`${text.replaceAll('\n', ' ')}\n`)], null);
  }

  /** A child's block of lines: one record whose body is the pipe's bytes, or several if it is too big. */
  pushBlock(block: OutputBlock): void {
    if (block.cut === null && spanEnd(block) - block.bounds[0]! + HEADER_MAX <= this.chunkBytes) {
      this.#blockRecord(block, 0, block.count);
      return;
    }
    // Rare: lines cut for their length, or a block bigger than a record may be (tiny segments).
    let first = 0;
    while (first < block.count) {
      // Lines are added while their span (a CR and newline after each at most) fits a record.
      const start = block.bounds[2 * first]!;
      let next = first + 1;
      while (next < block.count && HEADER_MAX + block.bounds[2 * next + 1]! + 2 - start <= this.chunkBytes)
        next++;
      this.#blockRecord(block, first, next);
      first = next;
    }
  }

  /** Lines [from, to) of a block, a record holding the block's slab. */
  #blockRecord(block: OutputBlock, from: number, to: number): void {
    const { at, stream, firstSeq, slab } = block;
    this.#record(at, stream, firstSeq + from, to - from, body(block, from, to), slab);
  }

  #record(
    at: number,
    stream: OutputStream | 'note',
    seq: number,
    lines: number,
    buffers: Buffer[],
    slab: Slab | null,
  ): void {
    if (at !== this.#lastAt) {
      this.#lastAt = at;
      this.#lastIso = new Date(at).toISOString();
    }
    const header = Buffer.from(formatHeader(this.#lastIso, stream, seq, lines), 'latin1');
    buffers.unshift(header);
    const bytes = buffers.reduce((sum, buffer) => sum + buffer.length, 0);
    slab?.hold();
    this.#chunks.push({ buffers, bytes, lines, slab });
    this.#bytes += bytes;
  }

  /** The records queued, oldest first; they stay queued until `take`. */
  chunks(): readonly Chunk[] {
    return this.#chunks;
  }

  /** Takes the oldest `count` records, once they are on disk. */
  take(count: number): void {
    for (const chunk of this.#chunks.splice(0, count)) {
      this.#bytes -= chunk.bytes;
      chunk.slab?.release();
    }
  }
}

/** One past the last byte of a block's lines in its data: after the newline, or the CR, or the line. */
function spanEnd(block: OutputBlock): number {
  let end = block.bounds[2 * block.count - 1]!;
  if (block.data[end] === CARRIAGE_RETURN) end++;
  if (block.data[end] === NEWLINE) end++;
  return end;
}

/**
 * Lines [from, to) of a block as written: their bytes as the pipe gave them (a CR before a newline
 * included), a cut line's kept part followed by its note, and a newline after the last if it had none
 * (the last line of a stream).
 */
function body(block: OutputBlock, from: number, to: number): Buffer[] {
  const { data, bounds, cut } = block;
  const buffers: Buffer[] = [];
  let run = bounds[2 * from]!;
  for (let i = from; i < to; i++) {
    const excess = cut?.get(i);
    if (excess === undefined) continue;
    buffers.push(data.subarray(run, bounds[2 * i + 1]), Buffer.from(`${cutNote(excess)}\n`));
    run = i + 1 < block.count ? bounds[2 * i + 2]! : data.length;
  }
  const end = to < block.count ? bounds[2 * to]! : spanEnd(block);
  if (run < end) buffers.push(data.subarray(run, end));
  if (to === block.count && cut?.get(to - 1) === undefined && data[end - 1] !== NEWLINE)
    buffers.push(NEWLINE_BUFFER);
  return buffers;
}
