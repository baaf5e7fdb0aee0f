// Why a /proc file of a process could not be read, from the error its read threw: the one mapping every
// optional reader gives the window, so "–" carries the same reason whichever column shows it.
import type { IoUnreadable } from '../../../../shared/columns';

/**
 * ENOENT (or ESRCH) when the process is gone, EACCES when it is not ours to read (EPERM comes from the
 * ptrace check on some kernels, EACCES on others), ENOTSUP for anything else.
 */
export function unreadableOf(error: unknown): IoUnreadable {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ESRCH') return 'ENOENT';
  if (code === 'EACCES' || code === 'EPERM') return 'EACCES';
  return 'ENOTSUP';
}
