// The programs feature behind the contract: the `programs:*` commands, their events, the kept
// programs file loaded at start, and the optional watch of the open stack file.
import { existsSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { CommandName, EventMap } from '../../../shared/contract';
import { CodedError } from '../../../shared/errors';
import type { Listeners } from '../../../shared/listeners';
import type { ImportResult, StackLoaded, TreeRow } from '../../../shared/model';
import type { CommandHandlers } from '../dispatch';
import type { Supervisor } from '../supervisor';
import { importFile } from './import';
import { editedStack, writeStack } from './keep';
import { parseStack, readStack, stackOrThrow } from './load';
import { Orchestrator } from './orchestrator';

type ProgramCommand = Extract<CommandName, `programs:${string}`>;
export type ProgramHandlers = Pick<CommandHandlers, ProgramCommand>;

/** A burst of writes (an editor's save) reloads once. */
const WATCH_SETTLE_MS = 200;

/** A missing or unreadable file has no text; `programs:validate` says why. */
function textOf(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

export class Programs {
  readonly orchestrator: Orchestrator;
  #file: string | null = null;
  #watcher: FSWatcher | null = null;
  #watchTimer: NodeJS.Timeout | null = null;

  /** `keptFile`: the user's own stack file, loaded at start when it exists. */
  constructor(
    supervisor: Supervisor,
    events: Listeners<EventMap>,
    private readonly keptFile?: string,
  ) {
    this.orchestrator = new Orchestrator(supervisor);
    this.orchestrator.on('state', (info) => events.emit('program:state', info));
    this.orchestrator.on('removed', (name: string) => events.emit('program:removed', { name }));
  }

  /** The stack file in use: the last one loaded, else the kept programs file. */
  get file(): string | null {
    return this.#file ?? this.keptFile ?? null;
  }

  /** Loads the kept programs file; `autostart` programs start. A broken file is reported and skipped. */
  async start(): Promise<void> {
    if (this.keptFile === undefined || !existsSync(this.keptFile)) return;
    try {
      await this.load(this.keptFile);
    } catch (error) {
      console.warn(`[proctor] the kept programs were not loaded:\n${(error as Error).message}`);
    }
  }

  /** Validates the whole file, then applies it as a diff; an invalid file changes nothing. */
  async load(file: string): Promise<StackLoaded> {
    const path = resolve(file);
    const stack = stackOrThrow(readStack(path));
    const summary = await this.orchestrator.apply(stack);
    this.#file = path;
    this.#watch(stack.watch ? path : null);
    return { file: path, ...summary, programs: this.orchestrator.list() };
  }

  sample(rows: readonly TreeRow[]): void {
    this.orchestrator.sampleFamilies(rows);
  }

  async shutdown(): Promise<void> {
    this.#watch(null);
    await this.orchestrator.shutdown();
  }

  handlers(): ProgramHandlers {
    return {
      'programs:load': ({ file }) => this.load(file),
      'programs:reload': () => {
        const file = this.file;
        if (file === null) throw new CodedError('E_STATE', 'no stack file is open: load one first');
        return this.load(file);
      },
      'programs:validate': ({ file, text }) => {
        const path = resolve(file);
        const result = text === undefined ? readStack(path) : parseStack(text, path);
        return { problems: result.ok ? [] : result.problems };
      },
      'programs:list': () => this.orchestrator.list(),
      'programs:source': ({ file }) => {
        const path = file === undefined ? this.file : resolve(file);
        return { file: path, text: path === null ? null : textOf(path) };
      },
      'programs:start': ({ names }) => this.orchestrator.start(names),
      'programs:stop': ({ names }) => this.orchestrator.stop(names),
      'programs:restart': ({ names }) => this.orchestrator.restart(names),
      'programs:keep': ({ name, program }) => this.#edit(name, program),
      'programs:forget': ({ name }) => this.#edit(name, null),
      'programs:import': ({ file, write }) => this.#import(file, write),
    };
  }

  /** Writes one program into the stack file in use (a failed write or an invalid result changes nothing), then applies it. */
  #edit(name: string, program: Record<string, unknown> | null): Promise<StackLoaded> {
    const file = this.file;
    if (file === null) throw new CodedError('E_STATE', 'there is no stack file to keep programs in');
    writeStack(file, editedStack(file, name, program));
    return this.load(file);
  }

  async #import(file: string, write: boolean): Promise<ImportResult> {
    const source = resolve(file);
    const target = join(dirname(source), 'proctor.yaml');
    const imported = await importFile(source, target);
    if (!write) return { ...imported, written: null };
    if (existsSync(target))
      throw new CodedError('E_STATE', `${target} already exists: it was not overwritten`);
    writeStack(target, imported.yaml);
    return { ...imported, written: target };
  }

  #watch(file: string | null): void {
    this.#watcher?.close();
    this.#watcher = null;
    if (file === null) return;
    this.#watcher = watch(file, () => {
      if (this.#watchTimer !== null) clearTimeout(this.#watchTimer);
      this.#watchTimer = setTimeout(() => {
        this.#watchTimer = null;
        this.load(file).catch((error: Error) =>
          console.warn(`[proctor] ${file} changed but was not applied:\n${error.message}`),
        );
      }, WATCH_SETTLE_MS);
    });
  }
}
