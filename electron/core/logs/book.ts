// Every program's log on disk, by program name: the writers, the reading and the disk use.
import { readdir } from 'node:fs/promises';
import { basename } from 'node:path';
import type { LogPage, LogProgram, LogSearchResult, LogWarning, LogWarningKind } from '../../../shared/model';
import type { OutputBlock } from '../supervisor/output';
import { programDir } from './paths';
import type { ProgramLogs } from './program-logs';
import { readPage, searchLog, type LogSearch } from './reader';
import { listSegments } from './segments';
import { LogWriter, type LogLimits } from './writer';

export class LogBook {
  /** By directory: two names that map to one directory share one writer, never two on one file. */
  readonly #writers = new Map<string, { name: string; writer: LogWriter }>();
  /** The same writers by program name: a line's lookup, without mapping the name to a directory each time. */
  readonly #byName = new Map<string, LogWriter>();
  /** Programs with their own folder or rotation (the stack file's `log_dir`, `log_rotation`). */
  readonly #own = new Map<string, ProgramLogs>();
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
    for (const { name, writer } of this.#writers.values()) writer.setLimits(this.#limitsOf(name));
  }

  /**
   * A program's own folder and rotation, or null for the settings'. A new folder takes effect at once:
   * the old writer finishes what it has queued there, the next line goes to the new one.
   */
  configure(name: string, own: ProgramLogs | null): void {
    if (own && (own.dir !== undefined || Object.keys(own.limits).length > 0)) this.#own.set(name, own);
    else this.#own.delete(name);
    const writer = this.#byName.get(name);
    if (!writer) return;
    if (writer.dir === this.dir(name)) return writer.setLimits(this.#limitsOf(name));
    this.#byName.delete(name);
    const entry = this.#writers.get(writer.dir);
    if (entry?.name === name) {
      this.#writers.delete(writer.dir);
      void writer.close();
    }
  }

  dir(name: string): string {
    return this.#own.get(name)?.dir ?? programDir(this.root, name);
  }

  /** Whether the log of `name` is not being written now (a warning said why). */
  faulted(name: string): boolean {
    return this.#byName.get(name)?.faulted ?? false;
  }

  read(name: string, from: number | undefined, limit: number): Promise<LogPage> {
    const writer = this.#writers.get(this.dir(name))?.writer;
    return readPage(this.dir(name), from, limit, writer?.end ?? null, (pos) => writer?.seek(pos) ?? null);
  }

  search(name: string, search: LogSearch): Promise<LogSearchResult> {
    return searchLog(this.dir(name), search);
  }

  /** Programs with a log on disk (or being written in this run), by directory. */
  async list(): Promise<LogProgram[]> {
    const dirs = new Set<string>(
      (await readdir(this.root).catch(() => [])).map((name) => programDir(this.root, name)),
    );
    for (const dir of this.#writers.keys()) dirs.add(dir);
    const programs: LogProgram[] = [];
    for (const dir of [...dirs].sort()) {
      const segments = await listSegments(dir).catch(() => []);
      const live = this.#writers.get(dir);
      if (segments.length === 0 && !live) continue;
      programs.push({
        name: live?.name ?? basename(dir),
        bytes: segments.reduce((total, segment) => total + segment.bytes, 0),
        files: segments.length,
        dropped: live?.writer.dropped ?? 0,
      });
    }
    return programs;
  }

  /** Resolves once every program's queued lines are on disk (or waiting out a fault), compressed or not. */
  async written(): Promise<void> {
    await Promise.all([...this.#writers.values()].map(({ writer }) => writer.written()));
  }

  /** Resolves once every program's queued lines are on disk and compressed (or waiting out a fault). */
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
    const dir = this.dir(name);
    let entry = this.#writers.get(dir);
    if (!entry) {
      const warn = (kind: LogWarningKind, message: string, code?: string): void =>
        this.onWarning({ program: name, kind, message, at: Date.now(), ...(code !== undefined && { code }) });
      entry = { name, writer: new LogWriter(dir, this.#limitsOf(name), warn) };
      this.#writers.set(dir, entry);
    }
    this.#byName.set(name, entry.writer);
    return entry.writer;
  }

  #limitsOf(name: string): Partial<LogLimits> {
    return { ...this.#limits, ...this.#own.get(name)?.limits };
  }
}
