// Disk I/O per process, from /proc/PID/io: the bytes it caused to be read from and written to storage.
import { readProcText } from '../proc-file';
import type { IoUnreadable } from '../../../../shared/columns';
import { unreadableOf } from './unreadable';

export interface IoCounters {
  /** Bytes fetched from storage (page-cache hits do not count). */
  readBytes: number;
  /** Bytes sent to storage: counted when the page is dirtied, so a write shows at once. */
  writeBytes: number;
}

/**
 * Why a process has no figure (IoUnreadable): `EACCES` — the kernel lets only its owner (with ptrace
 * rights) read it; `ENOENT` — it has exited; `ENOTSUP` — the kernel was built without task I/O accounting.
 */
export type { IoUnreadable };

export type IoReading = { ok: true; counters: IoCounters } | { ok: false; reason: IoUnreadable };

export interface IoRate {
  readPerSec: number;
  writePerSec: number;
}

export function parseIo(text: string): IoCounters | null {
  const read = /^read_bytes: (\d+)$/m.exec(text);
  const write = /^write_bytes: (\d+)$/m.exec(text);
  if (!read || !write) return null;
  return { readBytes: Number(read[1]), writeBytes: Number(write[1]) };
}

export function readIo(pid: number, proc = '/proc'): IoReading {
  let text: string;
  try {
    text = readProcText(`${proc}/${pid}/io`);
  } catch (error) {
    return { ok: false, reason: unreadableOf(error) };
  }
  const counters = parseIo(text);
  return counters ? { ok: true, counters } : { ok: false, reason: 'ENOTSUP' };
}

/**
 * Read and write rates of the processes it is asked about, from the change in their counters since the
 * last time each was asked. The first ask of a process has no rate yet (null); an unreadable one says
 * why, never 0. A pid reused by a new process restarts at null (its counters start from 0 again).
 */
export class IoRates {
  private readonly last = new Map<number, { at: number; startedAt: number; counters: IoCounters }>();

  constructor(private readonly proc = '/proc') {}

  rate(pid: number, startedAt: number, at = performance.now()): IoRate | null | { unreadable: IoUnreadable } {
    const reading = readIo(pid, this.proc);
    if (!reading.ok) {
      this.last.delete(pid);
      return { unreadable: reading.reason };
    }
    const before = this.last.get(pid);
    this.last.set(pid, { at, startedAt, counters: reading.counters });
    if (!before || before.startedAt !== startedAt || at <= before.at) return null;
    const seconds = (at - before.at) / 1000;
    return {
      readPerSec: Math.max(0, reading.counters.readBytes - before.counters.readBytes) / seconds,
      writePerSec: Math.max(0, reading.counters.writeBytes - before.counters.writeBytes) / seconds,
    };
  }

  /**
   * Moves the last reading of `pid` to `at` without reading: for a process known not to have run since,
   * whose counters cannot have moved, so the next rate spans only the time after this.
   */
  still(pid: number, at: number): void {
    const last = this.last.get(pid);
    if (last) last.at = at;
  }

  /** Forgets processes not in `alive`, so the map does not grow with every pid ever shown. */
  keepOnly(alive: ReadonlySet<number>): void {
    for (const pid of this.last.keys()) if (!alive.has(pid)) this.last.delete(pid);
  }
}
