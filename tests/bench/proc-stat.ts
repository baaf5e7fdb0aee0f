// What the benches read of a process's /proc/PID/stat: its fields after the command name, and the
// clock tick they count CPU time in.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** The fields after `(comm)`, so field 3 of proc(5) (state) is at index 0; throws when the process is gone. */
export function statFields(pid: number | 'self'): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}
