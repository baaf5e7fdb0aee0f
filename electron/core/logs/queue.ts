// Lines waiting for the disk, already encoded: each line's bytes go straight from the chunk the pipe
// gave into a shared buffer behind their prefix, so a child printing a million lines a second costs one
// copy of its bytes, not a million strings for the garbage collector and a join before each write.
import type { OutputStream } from '../../../shared/model';
import { cutNote, type OutputBlock } from '../supervisor/output';
import { TAGS } from './format';

/** A run of whole encoded lines, written with one call. */
export interface Chunk {
  buffer: Buffer;
  lines: number;
  /** The whole buffer `buffer` is the start of, to be filled again once written. */
  backing: Buffer | null;
}

/** Written buffers kept for reuse: fresh ones would cost page faults and GC work for every chunk. */
const SPARE_BUFFERS = 4;

/** Node's own encoder under Buffer#write, present on every Buffer though not in its types. */
interface NativeWrite {
  utf8Write(text: string, offset: number): number;
}

/** `<ISO time> <seq> <O|E|N> ` — see format.ts. The longest: 24 + 1 + 16 + 1 + 1 + 1 bytes. */
const PREFIX_MAX = 48;
/** The longest note after a cut line (see cutNote). */
const CUT_NOTE_MAX = 64;
const SPACE = 0x20;
const NEWLINE = 0x0a;
const DIGIT_0 = 0x30;
const TAG_BYTES: Record<OutputStream, number> = {
  stdout: TAGS.stdout.charCodeAt(0),
  stderr: TAGS.stderr.charCodeAt(0),
};

export class LineQueue {
  readonly #sealed: Chunk[] = [];
  readonly #spare: Buffer[] = [];
  #current: Buffer;
  #used = 0;
  #lines = 0;
  #bytes = 0;
  // A fast child prints many lines in the same millisecond: the time is formatted once for all of them.
  #lastAt = Number.NaN;
  #lastIso = '';
  #lastIsoBytes = Buffer.alloc(0);

  /** `chunkBytes` bounds one chunk, so a chunk always fits in an empty segment. */
  constructor(readonly chunkBytes: number) {
    this.#current = Buffer.allocUnsafe(chunkBytes);
  }

  /** Encoded bytes waiting, the chunk being filled included. */
  get bytes(): number {
    return this.#bytes;
  }

  get empty(): boolean {
    return this.#bytes === 0;
  }

  /** Bytes the line would take at most, to decide before encoding whether it is dropped. */
  static maxBytes(text: string): number {
    return PREFIX_MAX + 3 * text.length + 1;
  }

  /** Bytes a block of lines would take at most. */
  static maxBlockBytes(block: OutputBlock): number {
    return block.bytes + block.count * (PREFIX_MAX + 1) + (block.cut?.size ?? 0) * CUT_NOTE_MAX;
  }

  /** One line of text (Proctor's notes). */
  push(at: number, seq: number, stream: OutputStream | 'note', text: string): void {
    this.#room(LineQueue.maxBytes(text));
    // One native call a line: Buffer#write's argument checks cost more than the copy for short lines.
    const written = (this.#current as unknown as NativeWrite).utf8Write(
      `${this.#iso(at)} ${seq} ${TAGS[stream]} ${text}\n`,
      this.#used,
    );
    this.#added(this.#used + written);
  }

  /** A child's block of lines: its bytes are copied as they are, behind one time for all of them. */
  pushBlock(block: OutputBlock): void {
    const { data, bounds, cut } = block;
    this.#iso(block.at);
    const iso = this.#lastIsoBytes;
    const tag = TAG_BYTES[block.stream];
    for (let i = 0; i < block.count; i++) {
      const start = bounds[2 * i]!;
      const end = bounds[2 * i + 1]!;
      const excess = cut?.get(i);
      this.#room(PREFIX_MAX + end - start + 1 + (excess === undefined ? 0 : CUT_NOTE_MAX));
      const out = this.#current;
      let at = this.#used + iso.copy(out, this.#used);
      out[at++] = SPACE;
      at = writeDecimal(out, at, block.firstSeq + i);
      out[at++] = SPACE;
      out[at++] = tag;
      out[at++] = SPACE;
      at += data.copy(out, at, start, end);
      if (excess !== undefined) at += (out as unknown as NativeWrite).utf8Write(cutNote(excess), at);
      out[at++] = NEWLINE;
      this.#added(at);
    }
  }

  /** Makes room for a line of at most `worst` bytes in the buffer being filled. */
  #room(worst: number): void {
    if (worst <= this.chunkBytes - this.#used) return;
    this.#seal();
    // A line longer than a chunk (only with tiny segments) gets a buffer of its own.
    if (worst > this.chunkBytes) this.#current = Buffer.allocUnsafe(worst);
  }

  /** A line was encoded up to `used`. */
  #added(used: number): void {
    this.#bytes += used - this.#used;
    this.#used = used;
    this.#lines++;
    if (this.#current.length > this.chunkBytes) this.#seal();
  }

  /** The time as written, formatted once for all the lines of the same millisecond. */
  #iso(at: number): string {
    if (at !== this.#lastAt) {
      this.#lastAt = at;
      this.#lastIso = new Date(at).toISOString();
      this.#lastIsoBytes = Buffer.from(this.#lastIso, 'latin1');
    }
    return this.#lastIso;
  }

  /** The chunks queued, oldest first, the one being filled included; they stay queued until `take`. */
  chunks(): readonly Chunk[] {
    this.#seal();
    return this.#sealed;
  }

  /** Takes the oldest `count` chunks, once they are on disk. */
  take(count: number): void {
    for (const chunk of this.#sealed.splice(0, count)) {
      this.#bytes -= chunk.buffer.length;
      if (chunk.backing && this.#spare.length < SPARE_BUFFERS) this.#spare.push(chunk.backing);
    }
  }

  #seal(): void {
    if (this.#lines === 0) return;
    const full = this.#used > this.chunkBytes / 2;
    // A mostly empty buffer is copied out and reused, so a quiet child does not cost a chunk per line.
    const standard = this.#current.length === this.chunkBytes;
    const buffer = full
      ? this.#current.subarray(0, this.#used)
      : Buffer.from(this.#current.subarray(0, this.#used));
    this.#sealed.push({ buffer, lines: this.#lines, backing: full && standard ? this.#current : null });
    if (full || !standard) this.#current = this.#spare.pop() ?? Buffer.allocUnsafe(this.chunkBytes);
    this.#used = 0;
    this.#lines = 0;
  }
}

/** Writes `value` (a non-negative integer) in decimal at `at`; returns the offset after it. */
function writeDecimal(out: Buffer, at: number, value: number): number {
  let digits = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  for (let i = digits - 1, rest = value; i >= 0; i--, rest = Math.floor(rest / 10)) {
    out[at + i] = DIGIT_0 + (rest % 10);
  }
  return at + digits;
}
