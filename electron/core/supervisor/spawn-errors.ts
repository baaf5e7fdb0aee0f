// Start failures in words a user can act on, from the errno the guard (or Node) reports.
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import type { ProctorError } from '../../../shared/errors';
import type { ChildSpec } from '../../../shared/model';

/** Where starting failed: forking, changing into the working directory, or executing the command. */
export type StartStage = 'fork' | 'chdir' | 'exec';

const errnoNames = new Map<number, string>(
  Object.entries(constants.errno).map(([name, value]) => [value, name]),
);

export function errnoName(errno: number): string {
  return errnoNames.get(errno) ?? `errno ${errno}`;
}

export function startFailure(stage: StartStage, errno: string, spec: ChildSpec): ProctorError {
  if (stage === 'fork') return { code: 'E_SPAWN', message: `could not start ${spec.command}: ${errno}` };
  if (stage === 'chdir') {
    const cwd = spec.cwd ?? '';
    if (errno === 'ENOENT' || errno === 'ENOTDIR') {
      return { code: 'E_BAD_CWD', message: `working directory does not exist: ${cwd}` };
    }
    if (errno === 'EACCES') return { code: 'E_SPAWN_EACCES', message: `permission denied: ${cwd}` };
    return { code: 'E_BAD_CWD', message: `cannot use working directory ${cwd}: ${errno}` };
  }
  if (errno === 'ENOENT' || errno === 'ENOTDIR') {
    return { code: 'E_SPAWN_ENOENT', message: `command not found: ${spec.command}` };
  }
  if (errno === 'EACCES' || errno === 'EPERM') {
    return { code: 'E_SPAWN_EACCES', message: `permission denied: ${spec.command}` };
  }
  return { code: 'E_SPAWN', message: `could not start ${spec.command}: ${errno}` };
}

/**
 * Node's own spawn error (the weak fallback, where no guard reports the stage). Node says ENOENT both
 * for a missing command and a missing cwd, so only on that error path do we look at the cwd.
 */
export function nodeSpawnFailure(error: NodeJS.ErrnoException, spec: ChildSpec): ProctorError {
  const errno = error.code ?? 'EUNKNOWN';
  const cwdMissing = errno === 'ENOENT' && spec.cwd !== undefined && !existsSync(spec.cwd);
  return startFailure(cwdMissing ? 'chdir' : 'exec', errno, spec);
}
