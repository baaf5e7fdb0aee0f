// The owner of the /proc fds the source keeps open across ticks: it opens, keeps under a cap, and drops.
// Re-reading a kept fd from offset 0 costs a third of open+read+close, but each one is an fd the app
// may need elsewhere, so their number has a ceiling, lowered at once when the system runs short.
import { closeSync, openSync, readSync } from 'node:fs';

// Every /proc fd this app keeps, whichever source keeps it: at 5,000 processes they are most of the
// app's own fds, and the fd scan of the app itself (ports, GPU) skips them rather than readlink each.
const keptHere = new Set<number>();

/** Whether `fd` of this process is one the monitor keeps on a /proc file (never a socket or a GPU). */
export function isKeptProcFd(fd: number): boolean {
  return keptHere.has(fd);
}

export class KeptFds {
  private kept = 0;

  constructor(private cap: number) {}

  /** How many are held open right now. */
  get count(): number {
    return this.kept;
  }

  /** Lowers the cap (never raises it). */
  limit(cap: number): void {
    this.cap = Math.min(this.cap, cap);
  }

  /** A fresh fd on a /proc file, or -1 when it is gone (or the app is short of fds: keep no more then). */
  open(path: string): number {
    try {
      return openSync(path, 'r');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EMFILE' || code === 'ENFILE') this.cap = this.kept;
      return -1;
    }
  }

  /** Keeps a fresh fd for the next ticks (returns it), or closes it at the cap (returns -1). */
  keep(fd: number): number {
    if (this.kept < this.cap) {
      this.kept++;
      keptHere.add(fd);
      return fd;
    }
    closeSync(fd);
    return -1;
  }

  /** Closes a kept fd, if it is one; returns -1 for the field that held it. */
  drop(fd: number): -1 {
    if (fd >= 0) {
      keptHere.delete(fd);
      closeSync(fd);
      this.kept--;
    }
    return -1;
  }
}

/** Reads a /proc file from its start into `buf`; the length read, or -1 once the process has gone. */
export function readFromStart(fd: number, buf: Buffer): number {
  try {
    return readSync(fd, buf, 0, buf.length, 0);
  } catch {
    return -1;
  }
}
