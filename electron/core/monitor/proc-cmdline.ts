// /proc/PID/cmdline: the full command line, read once per process (and again after an exec or a retitle).
import { readProcBytes } from './proc-file';

/** NUL-separated arguments joined by spaces; empty for kernel threads and zombies. */
export function readCmdline(pid: number): string {
  let raw: Buffer;
  try {
    raw = readProcBytes(`/proc/${pid}/cmdline`);
  } catch {
    return '';
  }
  let end = raw.length;
  while (end > 0 && raw[end - 1] === 0) end--;
  return raw.toString('utf8', 0, end).replaceAll('\0', ' ');
}
