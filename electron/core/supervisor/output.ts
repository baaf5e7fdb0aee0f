// A child's output: bytes split into lines, kept in a bounded ring with a count of what fell out.
import type { OutputLine, OutputStream } from '../../../shared/model';

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

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = '\r';

/**
 * Splits a byte stream into lines across chunk boundaries. Memory per stream is bounded by
 * `maxLineBytes`: a line without a newline in sight is cut there and the excess only counted.
 */
export class LineSplitter {
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #excessBytes = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly emit: (text: string, bytes: number) => void,
  ) {}

  write(chunk: Buffer): void {
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      if (this.#pendingBytes === 0 && this.#excessBytes === 0 && end - start <= this.maxLineBytes) {
        // The common case: a whole line inside one chunk, decoded without copying.
        this.#emit(chunk.toString('utf8', start, end), end - start);
      } else {
        this.#keep(chunk, start, end);
        this.#flush();
      }
      start = end + 1;
    }
    if (start < chunk.length) this.#keep(chunk, start, chunk.length);
  }

  /** The stream ended: a last line without a newline is still a line. */
  end(): void {
    if (this.#pendingBytes > 0 || this.#excessBytes > 0) this.#flush();
  }

  #keep(chunk: Buffer, start: number, end: number): void {
    const room = Math.max(0, this.maxLineBytes - this.#pendingBytes);
    const kept = Math.min(room, end - start);
    // A copy, so a short remainder does not pin the whole chunk it came in.
    if (kept > 0) this.#pending.push(Buffer.from(chunk.subarray(start, start + kept)));
    this.#pendingBytes += kept;
    this.#excessBytes += end - start - kept;
  }

  #flush(): void {
    let text = Buffer.concat(this.#pending, this.#pendingBytes).toString('utf8');
    if (this.#excessBytes > 0) text = `${text} … [line truncated: ${this.#excessBytes} more bytes]`;
    this.#emit(text, this.#pendingBytes);
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#excessBytes = 0;
  }

  #emit(text: string, bytes: number): void {
    if (text.endsWith(CARRIAGE_RETURN)) this.emit(text.slice(0, -1), bytes - 1);
    else this.emit(text, bytes);
  }
}

export type OutputListener = (line: OutputLine) => void;

/** Slots a fresh ring starts with; it doubles up to maxLines, so short-lived children stay small. */
const INITIAL_SLOTS = 64;

/** The last lines of a child's stdout and stderr, numbered by `seq` (from 1, never reused). */
export class OutputRing {
  readonly #limits: OutputLimits;
  #lines: Array<OutputLine | undefined>;
  #sizes: number[];
  readonly #listeners = new Set<OutputListener>();
  #head = 0;
  #count = 0;
  #bytes = 0;
  #nextSeq = 1;
  #dropped = 0;

  constructor(limits: Partial<OutputLimits> = {}) {
    this.#limits = { ...DEFAULT_OUTPUT_LIMITS, ...limits };
    const slots = Math.min(INITIAL_SLOTS, this.#limits.maxLines);
    this.#lines = new Array<OutputLine | undefined>(slots);
    this.#sizes = new Array<number>(slots).fill(0);
  }

  get limits(): Readonly<OutputLimits> {
    return this.#limits;
  }

  /** Lines that fell out of the ring so far. */
  get dropped(): number {
    return this.#dropped;
  }

  push(stream: OutputStream, text: string, bytes: number): OutputLine {
    const line: OutputLine = { seq: this.#nextSeq++, at: Date.now(), stream, text };
    if (this.#count === this.#lines.length) {
      if (this.#lines.length < this.#limits.maxLines) this.#grow();
      else this.#evictOldest();
    }
    const slot = (this.#head + this.#count) % this.#lines.length;
    this.#lines[slot] = line;
    this.#sizes[slot] = bytes;
    this.#count++;
    this.#bytes += bytes;
    while (this.#bytes > this.#limits.maxBytes && this.#count > 1) this.#evictOldest();
    for (const listener of this.#listeners) listener(line);
    return line;
  }

  /** Lines with `seq` greater than `since`, oldest first, at most `limit` of them. */
  lines(since = 0, limit = Number.POSITIVE_INFINITY): OutputLine[] {
    const firstSeq = this.#nextSeq - this.#count;
    const skip = Math.max(0, since + 1 - firstSeq);
    const take = Math.min(this.#count - skip, limit);
    const result: OutputLine[] = [];
    for (let i = 0; i < take; i++) {
      result.push(this.#lines[(this.#head + skip + i) % this.#lines.length]!);
    }
    return result;
  }

  /** Live lines as they arrive; returns the unsubscribe function. */
  subscribe(listener: OutputListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #evictOldest(): void {
    this.#lines[this.#head] = undefined;
    this.#bytes -= this.#sizes[this.#head]!;
    this.#head = (this.#head + 1) % this.#lines.length;
    this.#count--;
    this.#dropped++;
  }

  #grow(): void {
    const slots = Math.min(this.#lines.length * 2, this.#limits.maxLines);
    const order = Array.from({ length: this.#count }, (_, i) => (this.#head + i) % this.#lines.length);
    const lines = order.map((slot) => this.#lines[slot]);
    const sizes = order.map((slot) => this.#sizes[slot]!);
    this.#lines = [...lines, ...new Array<OutputLine | undefined>(slots - this.#count)];
    this.#sizes = [...sizes, ...new Array<number>(slots - this.#count).fill(0)];
    this.#head = 0;
  }
}
