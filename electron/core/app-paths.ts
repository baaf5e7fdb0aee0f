// Where the app's own files live, from the built entry (out/main/*.js) or the source tree alike.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { stateHome } from '../../shared/xdg';

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

/** Proctor's state directory: `$XDG_STATE_HOME/proctor`, or `~/.local/state/proctor` as the XDG spec defaults it. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(stateHome(env, homedir()), 'proctor');
}
