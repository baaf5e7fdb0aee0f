// Post-mortems kept with the logs, one JSON file each under `<program>/postmortems/`, the last 50 a program.
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CodedError } from '../../../shared/errors';
import type { PostMortem, PostMortemSummary } from '../../../shared/model';
import { writeWhole } from '../write-whole';
import { programDir } from './paths';

export const POSTMORTEMS_KEPT = 50;
const FILE = /^(\d{13})-([A-Za-z0-9_-]{1,64})\.json$/;
const SUBDIR = 'postmortems';

export function postMortemId(at: number, childId: string): string {
  return `${String(at).padStart(13, '0')}-${childId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64)}`;
}

function summaryOf(record: PostMortem): PostMortemSummary {
  const { id, program, childId, at, exitcode, reason, outcome, restarts } = record;
  return { id, program, childId, at, exitcode, reason, outcome, restarts };
}

export class PostMortemStore {
  constructor(private readonly root: string) {}

  /** Writes the record (write, then rename: never half a file) and drops the oldest past the bound. */
  async save(record: PostMortem): Promise<PostMortemSummary> {
    const dir = this.#dir(record.program);
    await mkdir(dir, { recursive: true });
    const path = join(dir, `${record.id}.json`);
    await writeWhole(path, JSON.stringify(record));
    const files = await this.#files(dir);
    for (const old of files.slice(0, Math.max(0, files.length - POSTMORTEMS_KEPT))) {
      await unlink(join(dir, old)).catch(() => undefined);
    }
    return summaryOf(record);
  }

  /** Newest first; one program's, or every program's when `program` is left out. */
  async list(program?: string): Promise<PostMortemSummary[]> {
    const dirs =
      program === undefined
        ? (await readdir(this.root).catch(() => [])).map((name) => join(this.root, name, SUBDIR))
        : [this.#dir(program)];
    const summaries: PostMortemSummary[] = [];
    for (const dir of dirs) {
      for (const file of await this.#files(dir)) {
        const record = await this.#read(join(dir, file));
        if (record) summaries.push(summaryOf(record));
      }
    }
    return summaries.sort((a, b) => b.at - a.at);
  }

  async get(program: string, id: string): Promise<PostMortem> {
    const file = `${id}.json`;
    const record = FILE.test(file) ? await this.#read(join(this.#dir(program), file)) : null;
    if (!record) throw new CodedError('E_NO_SUCH_POSTMORTEM', `there is no post-mortem ${id} of ${program}`);
    return record;
  }

  #dir(program: string): string {
    return join(programDir(this.root, program), SUBDIR);
  }

  /** Record files, oldest first (their names start with the time). */
  async #files(dir: string): Promise<string[]> {
    const names = await readdir(dir).catch(() => []);
    return names.filter((name) => FILE.test(name)).sort();
  }

  /** A record that cannot be read or parsed (cut by a full disk, edited by hand) is left out, not fatal. */
  async #read(path: string): Promise<PostMortem | null> {
    try {
      return JSON.parse(await readFile(path, 'utf8')) as PostMortem;
    } catch {
      return null;
    }
  }
}
