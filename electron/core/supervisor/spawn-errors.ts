// Start failures in words a user can act on, from the errno the guard (or Node) reports.
import { existsSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
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

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Whether exec's EACCES came from the command being a directory: the path itself when it has a slash,
 * else the first PATH entry that holds the name (execvp's search says EACCES for a directory too).
 */
function commandIsDirectory(spec: ChildSpec): boolean {
  const base = spec.cwd ?? process.cwd();
  if (spec.command.includes('/')) return isDirectory(resolve(base, spec.command));
  const path = spec.env?.PATH ?? process.env.PATH ?? '';
  return path
    .split(delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => join(isAbsolute(dir) ? dir : resolve(base, dir), spec.command))
    .some((candidate) => existsSync(candidate) && isDirectory(candidate));
}

export function startFailure(stage: StartStage, errno: string, spec: ChildSpec): ProctorError {
  if (errno === 'E2BIG') {
    return {
      code: 'E_SPAWN_E2BIG',
      message: `the arguments and environment of ${spec.command.slice(0, 200)} are too long for the system (E2BIG): each may be at most 128 KiB`,
    };
  }
  if (stage === 'fork') return { code: 'E_SPAWN', message: `could not start ${spec.command}: ${errno}` };
  if (stage === 'chdir') {
    const cwd = spec.cwd ?? '';
    if (errno === 'ENOENT') return { code: 'E_BAD_CWD', message: `working directory does not exist: ${cwd}` };
    if (errno === 'ENOTDIR')
      return { code: 'E_CWD_NOT_DIR', message: `working directory is not a directory: ${cwd}` };
    if (errno === 'EACCES') return { code: 'E_SPAWN_EACCES', message: `permission denied: ${cwd}` };
    return { code: 'E_BAD_CWD', message: `cannot use working directory ${cwd}: ${errno}` };
  }
  if (errno === 'ENOENT' || errno === 'ENOTDIR') {
    return { code: 'E_SPAWN_ENOENT', message: `command not found: ${spec.command}` };
  }
  if ((errno === 'EACCES' || errno === 'EISDIR') && commandIsDirectory(spec)) {
    return { code: 'E_SPAWN_EISDIR', message: `is a directory, not a program: ${spec.command}` };
  }
  if (errno === 'EACCES' || errno === 'EPERM') {
    return { code: 'E_SPAWN_EACCES', message: `permission denied: ${spec.command}` };
  }
  return { code: 'E_SPAWN', message: `could not start ${spec.command}: ${errno}` };
}

/**
 * Node's own spawn error, emitted or thrown (the weak fallback, where no guard reports the stage; and
 * E2BIG or a bad cwd, which Node throws before any process exists). Node says ENOENT both for a missing
 * command and a missing cwd, and throws ENOTDIR for a cwd that is a file, so on those paths we look at
 * the cwd.
 */
export function nodeSpawnFailure(error: unknown, spec: ChildSpec): ProctorError {
  const errno = (error as NodeJS.ErrnoException | null)?.code ?? 'EUNKNOWN';
  const cwdBad =
    spec.cwd !== undefined &&
    ((errno === 'ENOENT' && !existsSync(spec.cwd)) || (errno === 'ENOTDIR' && !isDirectory(spec.cwd)));
  return startFailure(cwdBad ? 'chdir' : 'exec', errno, spec);
}
