// The learner's edits, one file a lesson in their state dir (`$XDG_STATE_HOME/proctor/lessons/<id>.py`),
// so an edit outlives the backend. Ids are checked against the catalogue before they name a file.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { stateDir } from '../app-paths';
import { writeWhole } from '../write-whole';

export function defaultEditsDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), 'lessons');
}

export class EditStore {
  constructor(readonly dir: string) {}

  private path(id: string): string {
    return join(this.dir, `${id}.py`);
  }

  /** The kept edit, or null when there is none. */
  async get(id: string): Promise<string | null> {
    try {
      return await readFile(this.path(id), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  /** Written whole or not at all: a crash mid-write never leaves half an edit. */
  async save(id: string, code: string): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeWhole(this.path(id), code, { mode: 0o600 });
  }

  async remove(id: string): Promise<void> {
    await rm(this.path(id), { force: true });
  }
}
