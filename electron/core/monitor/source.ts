import type { ProcessRow } from '../../../shared/model';
import { ProcSource } from './proc-source';
import { PsListSource } from './pslist-source';

/** A process's CPU time since it started, and its virtual memory, as of the last sample. */
export interface ProcessUsage {
  userSeconds: number;
  systemSeconds: number;
  virtualBytes: number;
}

/** Reads the machine's process table. One source per monitor; `sample()` calls never overlap. */
/**
 * What a source reads every tick however quiet it is: the process groups Proctor runs, whose every change
 * a user and the lessons wait for, and the process the user has selected.
 */
export interface Watched {
  groups: ReadonlySet<number>;
  pid: number | null;
}

export interface ProcessSource {
  readonly name: string;
  /**
   * One row a live process. A source may give a process the very row object it gave last time, when
   * nothing in it has changed; so a row is changed only on a copy (the monitor marks a row in place once,
   * the first tick it is given).
   */
  sample(): Promise<ProcessRow[]>;
  /**
   * What the last sample read of one process beyond its row, for counters that must add up over
   * its life (metrics); undefined when it was not in that sample or the source cannot tell.
   */
  usage?(pid: number): ProcessUsage | undefined;
  /**
   * Whether the process may have run since the sample before the last (its runtime moved, or is not
   * tracked); a reader of what only running can change skips the rest. Absent: assume it may.
   */
  mayHaveRun?(pid: number): boolean;
  /** Nice value and kernel priority from the last stat line read of the process. */
  priorityOf?(pid: number): { nice: number; priority: number } | undefined;
  /** What to read every tick however quiet it is (see Watched). */
  watch?(watched: Watched): void;
  /** Reads the whole stat line of `pid` in the next sample (after a renice, which needs no running). */
  reread?(pid: number): void;
  /** Releases fds and caches; a later `sample()` starts afresh. */
  close(): void;
}

/** The fast /proc reader on Linux; ps-list and pidusage elsewhere. */
export function createDefaultSource(): ProcessSource {
  return process.platform === 'linux' ? new ProcSource() : new PsListSource();
}
