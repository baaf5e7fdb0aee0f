// Where a program's logs live: one directory a program, keyed by its name, under a settable root.
import { join } from 'node:path';
import { stateDir } from '../app-paths';

export function defaultLogsRoot(env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), 'logs');
}

/**
 * A program's directory name: its name with anything outside a portable file name replaced, so a
 * name like `../x` or `a/b` can never leave the root.
 */
export function programDirName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_');
  return /^\.*$/.test(safe) ? `_${safe}` : safe;
}

export function programDir(root: string, name: string): string {
  return join(root, programDirName(name));
}
