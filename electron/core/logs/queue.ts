// Lines waiting for the disk, already encoded: each line goes straight into a shared buffer instead of
// becoming a string of its own, so a child printing a million lines a second costs one copy of its text,
// not a million strings for the garbage collector and a join before each write.
import type { OutputStream } from '../../../shared/model';
import { TAGS } from './format';

/** A run of whole encoded lines, written with one call. */
export interface Chunk {
  buffer: Buffer;
  lines: number;
}

/** Node's own encoder under Buffer#write, present on every Buffer though not in its types. */
interface NativeWrite {
  utf8Write(text: string, offset: number): number;
}

/** `<ISO time> <seq> <O|E|N> ` — see format.ts. The longest: 24 + 1 + 16 + 1 + 1 + 1 bytes. */
const PREFIX_MAX = 48;

export class LineQueue {
  readonly #sealed: Chunk[] = [];
  #current: Buffer;
  #used = 0;
  #lines = 0;
  #bytes = 0;
  // A fast child prints many lines in the same millisecond: the time is formatted once for all of them.
  #lastAt = Number.NaN;
  #lastIso = '';

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

  push(at: number, seq: number, stream: OutputStream | 'note', text: string): void {
    const worst = LineQueue.maxBytes(text);
    if (worst > this.chunkBytes - this.#used) {
      this.#seal();
      // A line longer than a chunk (only with tiny segments) gets a buffer of its own.
      if (worst > this.chunkBytes) this.#current = Buffer.allocUnsafe(worst);
    }
    if (at !== this.#lastAt) {
      this.#lastAt = at;
      this.#lastIso = new Date(at).toISOString();
    }
    // One native call a line: Buffer#write's argument checks cost more than the copy for short lines.
    const written = (this.#current as unknown as NativeWrite).utf8Write(
      `${this.#lastIso} ${seq} ${TAGS[stream]} ${text}\n`,
      this.#used,
    );
    this.#used += written;
    this.#lines++;
    this.#bytes += written;
    if (this.#current.length > this.chunkBytes) this.#seal();
  }

  /** The chunks queued, oldest first, the one being filled included; they stay queued until `take`. */
  chunks(): readonly Chunk[] {
    this.#seal();
    return this.#sealed;
  }

  /** Takes the oldest `count` chunks, once they are on disk. */
  take(count: number): void {
    for (const chunk of this.#sealed.splice(0, count)) this.#bytes -= chunk.buffer.length;
  }

  #seal(): void {
    if (this.#lines === 0) return;
    const full = this.#used > this.chunkBytes / 2;
    // A mostly empty buffer is copied out and reused, so a quiet child does not cost a chunk per line.
    const buffer = full
      ? this.#current.subarray(0, this.#used)
      : Buffer.from(this.#current.subarray(0, this.#used));
    this.#sealed.push({ buffer, lines: this.#lines });
    if (full || this.#current.length !== this.chunkBytes) this.#current = Buffer.allocUnsafe(this.chunkBytes);
    this.#used = 0;
    this.#lines = 0;
  }
}
