// Reading a segment back, compressed or not, without holding the file in memory: its raw lines, its
// log lines record by record (see format.ts), and where its last whole record ends.
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import type { LogLine } from '../../../shared/model';
import { parseHeader, RecordReader } from './format';
import type { Segment } from './segments';

const NEWLINE = 0x0a;

/**
 * The whole lines of a segment, without their newline. A last line without one is a write still
 * under way (or cut by a crash) and is left out, so a reader never sees half a line.
 */
export async function* segmentLines(
  segment: Pick<Segment, 'path' | 'compressed'>,
  /** A byte offset where a line starts (raw segments only). */
  start = 0,
): AsyncGenerator<string> {
  const source = createReadStream(segment.path, { highWaterMark: 256 * 1024, start });
  const stream = segment.compressed ? source.pipe(createGunzip()) : source;
  // A compressed file that fails to open or decode must reach the reader as an error, not hang.
  if (segment.compressed) source.on('error', (error) => stream.destroy(error));
  const decoder = new StringDecoder('utf8');
  let carry = '';
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const text = carry + decoder.write(chunk);
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        yield text.slice(start, end);
        start = end + 1;
      }
      carry = text.slice(start);
    }
  } finally {
    source.destroy();
    stream.destroy();
  }
}

/**
 * The log lines of a segment from byte `start` (where a record starts), the first at position `pos`.
 * Every line is yielded as soon as it is whole, so a record being written may be read in part.
 */
export async function* segmentLogLines(
  segment: Pick<Segment, 'path' | 'compressed'>,
  start: number,
  pos: number,
): AsyncGenerator<LogLine> {
  const reader = new RecordReader();
  for await (const raw of segmentLines(segment, start)) {
    const line = reader.read(raw, pos);
    if (line === null) continue;
    pos++;
    yield line;
  }
}

/** Lines in a segment's whole records (a record cut short by a crash is not counted). */
export async function countLogLines(segment: Pick<Segment, 'path' | 'compressed'>): Promise<number> {
  const reader = new RecordReader();
  let lines = 0;
  let whole = 0;
  for await (const raw of segmentLines(segment)) {
    if (reader.read(raw, lines) !== null) lines++;
    if (reader.whole) whole = lines;
  }
  return whole;
}

/**
 * The log lines in a raw file's whole records and the bytes they span: what is after them is a
 * write cut by a crash. Counted on bytes, only headers decoded.
 */
export async function wholeRecords(path: string): Promise<{ lines: number; bytes: number }> {
  let lines = 0;
  let bytes = 0;
  /** Lines of the current record still to come, and the lines before it. */
  let left = 0;
  let counted = 0;
  let offset = 0;
  /** The start of a line that may be a header, from the chunks before. */
  let carry: Buffer[] = [];
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, start)) {
      if (left > 0) {
        left--;
        counted++;
      } else {
        const raw = Buffer.concat([...carry, chunk.subarray(start, at)]).toString('utf8');
        carry = [];
        const header = parseHeader(raw);
        // A line outside a record (an older log's) is a log line of its own.
        if (header) left = header.lines;
        else counted++;
      }
      start = at + 1;
      if (left === 0) {
        lines = counted;
        bytes = offset + start;
      }
    }
    if (left === 0 && start < chunk.length) carry.push(chunk.subarray(start));
    offset += chunk.length;
  }
  return { lines, bytes };
}
