// A process's nice value and kernel priority (/proc/PID/stat), and renice with the kernel's refusals in words.
import { readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { CodedError } from '../../../../shared/errors';

export interface Priority {
  /** -20 (most favoured) .. 19. */
  nice: number;
  /** The kernel's priority: 20 + nice for normal tasks, negative for real-time ones. */
  priority: number;
}

/** null when the process is gone. */
export function readPriority(pid: number, proc = '/proc'): Priority | null {
  let text: string;
  try {
    text = readFileSync(`${proc}/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  // Fields after the comm, whose parentheses may hold anything: state is field 3, priority 18, nice 19.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { priority: Number(fields[15]), nice: Number(fields[16]) };
}

/** Sets the nice value of one process; EPERM and ESRCH come back as coded errors with the reason. */
export function renice(pid: number, nice: number): void {
  try {
    setPriority(pid, nice);
  } catch (error) {
    // Node reports it as ERR_SYSTEM_ERROR with the errno name in `info`.
    const code = (error as { info?: { code?: string } }).info?.code;
    const now = readPriority(pid);
    if (code === 'EPERM' || code === 'EACCES')
      throw new CodedError(
        'E_NICE_EPERM',
        now && nice < now.nice
          ? `not permitted to lower the nice value of process ${pid} from ${now.nice} to ${nice}: that needs root (CAP_SYS_NICE)`
          : `not permitted to change the priority of process ${pid}: it belongs to another user`,
      );
    if (code === 'ESRCH')
      throw new CodedError('E_NO_SUCH_PROCESS', `no such process: ${pid} has already exited`);
    throw error;
  }
}
