// Reading and signalling single processes, with kernel errors turned into words.
import { readFileSync, readlinkSync } from 'node:fs';
import { constants } from 'node:os';
import { CodedError } from '../../shared/errors';

/** The working directory, or null when the kernel will not tell (another user's process, or gone). */
export function readCwd(pid: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return null;
  }
}

/** The environment a process started with, or null when unreadable. */
export function readEnviron(pid: number): Record<string, string> | null {
  try {
    const env: Record<string, string> = {};
    for (const entry of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
      const eq = entry.indexOf('=');
      if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    return env;
  } catch {
    return null;
  }
}

/** Sends a signal to one pid (or a group, with a negative pid), answering EPERM/ESRCH in words. */
export function sendSignal(pid: number, signal: NodeJS.Signals): void {
  if (!(signal in constants.signals)) throw new CodedError('E_INVALID', `unknown signal ${signal}`, 'signal');
  const target = pid < 0 ? `process group ${-pid}` : `process ${pid}`;
  try {
    process.kill(pid, signal);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EPERM')
      throw new CodedError(
        'E_EPERM',
        `not permitted to send ${signal} to ${target}: it belongs to another user`,
      );
    if (code === 'ESRCH')
      throw new CodedError('E_NO_SUCH_PROCESS', `no such process: ${target} has already exited`);
    throw error;
  }
}
