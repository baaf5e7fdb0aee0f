// The log on disk is a run of records, one a chunk read from the child's pipe: a header line
// `@ <ISO time> <O|E|N> <first seq> <lines>` and then those lines as the child wrote them. The lines of
// one chunk arrived at the same instant, so one time a chunk is each line's wall time; the child's
// bytes go to disk untouched (greppable as they are) instead of being re-encoded line by line.
import type { LogLine } from '../../../shared/model';

type Stream = LogLine['stream'];

/** The stream's letter on disk. */
export const TAGS: Record<Stream, string> = { stdout: 'O', stderr: 'E', note: 'N' };
const STREAMS: Record<string, Stream> = { O: 'stdout', E: 'stderr', N: 'note' };

/** `@ ` + ISO time (24) + ` O ` + seq (≤ 16 digits) + ` ` + count (≤ 10) + `\n`. */
export const HEADER_MAX = 64;

export interface RecordHeader {
  at: number;
  stream: Stream;
  /** The seq of the first line (0 for Proctor's notes); the others follow one by one. */
  seq: number;
  lines: number;
}

export function formatHeader(iso: string, stream: Stream, seq: number, lines: number): string {
  return `@ ${iso} ${TAGS[stream]} ${seq} ${lines}\n`;
}

const HEADER = /^@ (\S+) ([OEN]) (\d+) (\d+)$/;

/** A header line read back (without its newline), or null when the line is not one. */
export function parseHeader(raw: string): RecordHeader | null {
  const match = HEADER.exec(raw);
  if (!match) return null;
  const at = Date.parse(match[1]!);
  if (Number.isNaN(at)) return null;
  return { at, stream: STREAMS[match[2]!]!, seq: Number(match[3]), lines: Number(match[4]) };
}

/**
 * Turns a segment's lines back into log lines, record by record. A line outside a record (a log
 * written line by line, `<ISO time> <seq> <O|E|N> <text>`, before records) is read on its own, and a
 * line that is neither reads as a note.
 */
export class RecordReader {
  #header: RecordHeader | null = null;
  /** Lines of the current record still to come, and how many came. */
  #left = 0;
  #index = 0;

  /** Whether the lines read so far end with a whole record. */
  get whole(): boolean {
    return this.#left === 0;
  }

  /** The log line `raw` (without its newline) at position `pos`, or null for a record's header. */
  read(raw: string, pos: number): LogLine | null {
    const header = this.#header;
    if (this.#left > 0 && header) {
      this.#left--;
      const i = this.#index++;
      // The child's CR before its newline stays on disk and goes here, as the memory ring drops it.
      const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      return { pos, at: header.at, seq: header.seq === 0 ? 0 : header.seq + i, stream: header.stream, text };
    }
    const next = parseHeader(raw);
    if (next) {
      this.#header = next;
      this.#left = next.lines;
      this.#index = 0;
      return null;
    }
    return parseLegacyLine(raw, pos);
  }
}

function parseLegacyLine(raw: string, pos: number): LogLine {
  const space1 = raw.indexOf(' ');
  const space2 = raw.indexOf(' ', space1 + 1);
  const stream = STREAMS[raw.charAt(space2 + 1)];
  const at = Date.parse(raw.slice(0, space1));
  const seq = Number(raw.slice(space1 + 1, space2));
  if (
    space1 < 0 ||
    space2 < 0 ||
    stream === undefined ||
    raw.charAt(space2 + 2) !== ' ' ||
    Number.isNaN(at)
  ) {
    return { pos, at: 0, seq: 0, stream: 'note', text: raw };
  }
  return { pos, at, seq: Number.isInteger(seq) ? seq : 0, stream, text: raw.slice(space2 + 3) };
}
