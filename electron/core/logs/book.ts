// Every program's log on disk, by program name: the writers, the reading and the disk use.
import { readdir } from 'node:fs/promises';
import type {
  LogPage,
  LogProgram,
  LogSearchResult,
  LogWarning,
  LogWarningKind,
} from '../../../shared/model';
import type { OutputBlock } from '../supervisor/output';
import { programDir, programDirName } from './paths';
import { readPage, searchLog, type LogSearch } from './reader';
import { listSegments } from './segments';
import { LogWriter, type LogLimits } from './writer';

export class LogBook {
  /** By directory name: two names that map to one directory share one writer, never two on one file. */
  readonly #writers = new Map<string, { name: string; writer: LogWriter }>();
  /** The same writers by program name: a line's lookup, without mapping the name to a directory each time. */
  readonly #byName = new Map<string, LogWriter>();
  #limits: Partial<LogLimits>;

  constructor(
    readonly root: string,
    limits: Partial<LogLimits>,
    private readonly onWarning: (warning: LogWarning) => void,
  ) {
    this.#limits = limits;
  }

  /** Queues a block of lines of program `name`; never waits, never throws. */
  append(name: string, block: OutputBlock): void {
    this.#writer(name).appendBlock(block);
  }

  /** Proctor's own line in a program's log (see shared/log-notes.ts). */
  note(name: string, text: string): void {
    this.#writer(name).note(text);
  }

  setLimits(limits: Partial<LogLimits>): void {
    this.#limits = { ...this.#limits, ...limits };
    for (const { writer } of this.#writers.values()) writer.setLimits(this.#limits);
  }

  dir(name: string): string {
    return programDir(this.root, name);
  }

  read(name: string, from: number | undefined, limit: number): Promise<LogPage> {
    const writer = this.#writers.get(programDirName(name))?.writer;
    return readPage(this.dir(name), from, limit, writer?.end ?? null, (pos) => writer?.seek(pos) ?? null);
  }

  search(name: string, search: LogSearch): Promise<LogSearchResult> {
    return searchLog(this.dir(name), search);
  }

  /** Programs with a log on disk (or being written in this run), by directory. */
  async list(): Promise<LogProgram[]> {
    const names = new Set<string>(await readdir(this.root).catch(() => []));
    for (const dir of this.#writers.keys()) names.add(dir);
    const programs: LogProgram[] = [];
    for (const dir of [...names].sort()) {
      const segments = await listSegments(programDir(this.root, dir)).catch(() => []);
      const live = this.#writers.get(dir);
      if (segments.length === 0 && !live) continue;
      programs.push({
        name: live?.name ?? dir,
        bytes: segments.reduce((total, segment) => total + segment.bytes, 0),
        files: segments.length,
        dropped: live?.writer.dropped ?? 0,
      });
    }
    return programs;
  }

  /** Resolves once every program's queued lines are on disk (or waiting out a fault). */
  async flushed(): Promise<void> {
    await Promise.all([...this.#writers.values()].map(({ writer }) => writer.flushed()));
  }

  async close(): Promise<void> {
    await Promise.all([...this.#writers.values()].map(({ writer }) => writer.close()));
    this.#writers.clear();
    this.#byName.clear();
  }

  #writer(name: string): LogWriter {
    const known = this.#byName.get(name);
    if (known) return known;
    const dir = programDirName(name);
    let entry = this.#writers.get(dir);
    if (!entry) {
      const warn = (kind: LogWarningKind, message: string): void =>
        this.onWarning({ program: name, kind, message, at: Date.now() });
      entry = { name, writer: new LogWriter(this.dir(name), this.#limits, warn) };
      this.#writers.set(dir, entry);
    }
    this.#byName.set(name, entry.writer);
    return entry.writer;
  }
}
