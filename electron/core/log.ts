// One small structured logger (pino) for what must not fail silently: a failed monitor tick, a lesson's
// unreadable family, a tray action the backend refused. JSON lines to a file under the state dir, and to
// stderr in headless mode, where a terminal is watching.
//
// pino itself is loaded at the first line written: a backend that runs well writes none, and pino with its
// dependencies is a few megabytes of a backend's memory that pm2's daemon is measured against.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as Pino from 'pino';
import { stateDir } from './app-paths';

/** What Proctor's code logs with: a pino logger's methods it uses, so the pino behind it can come late. */
export interface Logger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

export interface LogOptions {
  /** A JSON-lines file; its folder is made. */
  file?: string;
  /** Also to stderr. */
  stderr?: boolean;
}

/** In the state directory: logs are state, not settings. */
export function defaultLogFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), 'proctor.log');
}

/** A logger that does nothing at all, pino not even loaded: tests and throwaway services. */
const SILENT: Logger = {
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => SILENT,
};

/** pino's logger, made on the first call of `get`; children are made from it then, with their bindings. */
class LazyLogger implements Logger {
  #logger: Pino.Logger | null = null;

  constructor(private readonly make: () => Pino.Logger) {}

  info(fields: object, message: string): void {
    this.#get().info(fields, message);
  }

  warn(fields: object, message: string): void {
    this.#get().warn(fields, message);
  }

  error(fields: object, message: string): void {
    this.#get().error(fields, message);
  }

  child(bindings: Record<string, unknown>): Logger {
    return new LazyLogger(() => this.#get().child(bindings));
  }

  #get(): Pino.Logger {
    return (this.#logger ??= this.make());
  }
}

/** Without a file and without stderr (tests, a throwaway service), nothing is written. */
export function createLogger(options: LogOptions = {}): Logger {
  if (!options.file && !options.stderr) return SILENT;
  // The folder is made now, as before: a state directory that cannot be made is known at start.
  if (options.file) mkdirSync(dirname(options.file), { recursive: true });
  return new LazyLogger(() => {
    // Synchronous, so the line that needs pino is the line it writes (pino is CommonJS).
    const pino = createRequire(import.meta.url)('pino') as typeof Pino.default;
    const streams: Pino.StreamEntry[] = [];
    if (options.file) streams.push({ stream: pino.destination({ dest: options.file, sync: true }) });
    if (options.stderr) streams.push({ stream: pino.destination({ dest: 2, sync: true }) });
    return pino({ base: { pid: process.pid } }, pino.multistream(streams));
  });
}
