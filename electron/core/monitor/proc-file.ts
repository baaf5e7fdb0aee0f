// A whole /proc file read into one buffer kept for the app's life. readFileSync cannot know the size of a
// /proc file (stat says 0), so it allocates 64 KiB for each read and copies the result out: for files read
// per process per tick (io, cgroup, cmdline) that allocation, not the kernel, was most of the cost.
import { closeSync, openSync, readSync } from 'node:fs';

let buf = Buffer.alloc(16 * 1024);

/** The bytes of a /proc file from its start; valid until the next call. Throws like readFileSync. */
export function readProcBytes(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    let length = 0;
    for (;;) {
      // A full buffer means there may be more (a busy host's socket tables): grow it and read on.
      if (length === buf.length) buf = Buffer.concat([buf, Buffer.alloc(buf.length)]);
      const n = readSync(fd, buf, length, buf.length - length, null);
      if (n === 0) break;
      length += n;
    }
    return buf.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/** A /proc file's text (latin1: every byte one char, as these files are ASCII but for paths). */
export function readProcText(path: string): string {
  return readProcBytes(path).toString('latin1');
}
