// One log line on disk: `<ISO time> <seq> <O|E|N> <text>`, greppable and readable as it is.
import type { LogLine } from '../../../shared/model';

type Stream = LogLine['stream'];

/** The stream's letter on disk; the line is written by LineQueue (queue.ts). */
export const TAGS: Record<Stream, string> = { stdout: 'O', stderr: 'E', note: 'N' };
const STREAMS: Record<string, Stream> = { O: 'stdout', E: 'stderr', N: 'note' };

/** A line read back (without its newline) at position `pos`; a line that is not ours reads as a note. */
export function parseLine(raw: string, pos: number): LogLine {
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
