// A rotated segment compressed through one input buffer, filled again once gzip has taken it. A
// read stream allocates a fresh buffer for each read: V8 counts each as new external memory and
// collects the whole heap about every 64 MiB of them, so the log's every byte cost the GC twice.
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

/**
 * gzip's buffers. Each one is a hand-off between the thread pool and JavaScript, and a child flooding its
 * output keeps JavaScript busy reading its pipe: at 256 KiB a segment took a hundred turns of the loop to
 * compress, while the next segment waited for it. At 4 MiB it takes a few.
 */
const GZIP_CHUNK_BYTES = 4 * 1024 * 1024;
/**
 * Input buffers kept between compressions. A fresh 4 MiB buffer is fresh memory: the kernel maps and
 * zeroes its every page on the first read into it, which cost twice the CPU of the compression itself
 * (20 ms a 10 MiB segment against 8). Two are kept: the writers rarely compress more at once.
 */
const SPARE_BUFFERS = 2;
const spare: Buffer[] = [];

/** Writes `from` gzip-compressed (level 1: the disk budget is met by rotation, not by ratio) to `to`. */
export async function gzipFile(from: string, to: string): Promise<void> {
  const input = await open(from, 'r');
  try {
    const gzip = createGzip({ level: 1, chunkSize: GZIP_CHUNK_BYTES });
    const done = pipeline(gzip, createWriteStream(to, { highWaterMark: GZIP_CHUNK_BYTES }));
    // A failed output (a full disk) rejects `done` and may leave a write's callback uncalled.
    done.catch(() => undefined);
    const buffer = spare.pop() ?? Buffer.allocUnsafe(GZIP_CHUNK_BYTES);
    try {
      for (;;) {
        const { bytesRead } = await input.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) break;
        await Promise.race([written(gzip, buffer.subarray(0, bytesRead)), done]);
      }
    } catch (error) {
      // Not kept: a write that failed may still be reading it.
      gzip.destroy(error as Error);
      throw error;
    }
    if (spare.length < SPARE_BUFFERS) spare.push(buffer);
    gzip.end();
    await done;
  } finally {
    await input.close();
  }
}

/** Resolves once `stream` has consumed `chunk`, so its buffer may be filled again. */
function written(stream: Writable, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) =>
    stream.write(chunk, (error) => (error ? reject(error) : resolve())),
  );
}
