// Reading a segment back line by line, compressed or not, without holding the file in memory.
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import type { Segment } from './segments';

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

/** Whole lines in a file and the byte length they span (a cut last line is not counted). */
export async function countLines(path: string): Promise<{ lines: number; bytes: number }> {
  let lines = 0;
  let bytes = 0;
  let offset = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) {
      lines++;
      bytes = offset + at + 1;
    }
    offset += chunk.length;
  }
  return { lines, bytes };
}
