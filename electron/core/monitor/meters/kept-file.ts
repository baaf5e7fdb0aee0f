import { closeSync, openSync, readSync } from 'node:fs';

/**
 * A /proc file kept open and re-read from offset 0 on each `read()`: a pread costs a third of
 * open + read + close, and these files are read every tick.
 */
export class KeptFile {
  private fd = -1;
  private buf = Buffer.alloc(4096);

  constructor(readonly path: string) {}

  read(): string {
    if (this.fd < 0) this.fd = openSync(this.path, 'r');
    let length = 0;
    for (;;) {
      // /proc/stat grows with the cores: a full buffer means there may be more.
      if (length === this.buf.length) this.buf = Buffer.concat([this.buf, Buffer.alloc(this.buf.length)]);
      const n = readSync(this.fd, this.buf, length, this.buf.length - length, length);
      if (n === 0) break;
      length += n;
    }
    return this.buf.toString('latin1', 0, length);
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
