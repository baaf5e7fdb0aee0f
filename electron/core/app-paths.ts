// Where the app's own files live, from the built entry (out/main/*.js) or the source tree alike.
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
