// /proc/PID/schedstat: how long a process has run, in ns — the first number of a line the kernel makes
// in half the time of `stat`. Unmoved, it proves the process has not run since it was last read.
import { closeSync } from 'node:fs';
import { readFromStart, type KeptFds } from './kept-fds';

/** The part of a known process this reader looks after: its kept schedstat fd, or -1. */
export interface SchedstatHolder {
  pid: number;
  schedFd: number;
}

export class SchedstatReader {
  constructor(
    private readonly fds: KeptFds,
    private readonly buf: Buffer,
  ) {}

  /** Nanoseconds run; -1 when it cannot be read. The first read opens the fd and keeps it in `holder`. */
  runtimeNs(holder: SchedstatHolder): number {
    let fd = holder.schedFd;
    let fresh = false;
    if (fd < 0) {
      fd = this.fds.open(`/proc/${holder.pid}/schedstat`);
      if (fd < 0) return -1;
      fresh = true;
    }
    const length = readFromStart(fd, this.buf);
    let value = 0;
    let i = 0;
    for (; i < length; i++) {
      const digit = this.buf[i]! - 0x30;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
    }
    if (fresh) {
      if (length > 0) holder.schedFd = this.fds.keep(fd);
      else closeSync(fd);
    }
    return i > 0 ? value : -1;
  }
}
