// Where the app's own files live, from the built entry (out/main/*.js) or the source tree alike.
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface AppPaths {
  root: string;
  renderer: string;
  lessons: string;
}

export function appPaths(root: string): AppPaths {
  return {
    root,
    renderer: join(root, 'out', 'renderer'),
    lessons: join(root, 'electron', 'core', 'lessons'),
  };
}

/**
 * Proctor's state directory: `$XDG_STATE_HOME/proctor`, or `~/.local/state/proctor` as the XDG spec
 * defaults it, which also says a relative `XDG_STATE_HOME` is to be ignored.
 */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME?.startsWith('/') ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(state, 'proctor');
}
