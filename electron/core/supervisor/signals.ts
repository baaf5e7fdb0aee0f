// Exit statuses in Python's convention, and signals to a whole process group.
import { constants } from 'node:os';
import { signalNumberOf } from '../../../shared/signals';

/**
 * `n` for exit(n), `-N` when killed by signal N — multiprocessing's `Process.exitcode`, numbered by the
 * contract's signal table (the host's own number only for a signal the table does not list).
 */
export function exitcodeOf(code: number | null, signal: NodeJS.Signals | null): number | null {
  if (code !== null) return code;
  return signal === null ? null : -(signalNumberOf(signal) ?? constants.signals[signal]);
}

/**
 * Signals every process in the group `pgid`. A group that is already empty is not an error: the
 * child may have exited between our check and the signal.
 */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
