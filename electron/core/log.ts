// One small structured logger (pino) for what must not fail silently: a failed monitor tick, a lesson's
// unreadable family, a tray action the backend refused. JSON lines to a file under the state dir, and to
// stderr in headless mode, where a terminal is watching.
import { mkdirSync } from 'node:fs';
import { stateDir } from './app-paths';
import { dirname, join } from 'node:path';
import pino, { type Logger } from 'pino';

export type { Logger };

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

/** Without a file and without stderr (tests, a throwaway service), nothing is written. */
export function createLogger(options: LogOptions = {}): Logger {
  const streams: pino.StreamEntry[] = [];
  if (options.file) {
    mkdirSync(dirname(options.file), { recursive: true });
    streams.push({ stream: pino.destination({ dest: options.file, sync: true }) });
  }
  if (options.stderr) streams.push({ stream: pino.destination({ dest: 2, sync: true }) });
  if (streams.length === 0) return pino({ enabled: false });
  return pino({ base: { pid: process.pid } }, pino.multistream(streams));
}
