// Readiness and liveness probes: one check (exec, HTTP GET, TCP connect) run on its period, never
// faster, with thresholds deciding when the verdict flips; a log line probe passes on its first match.
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import type { ProbeResult } from '../../../shared/model';
import { argvOf } from './command';
import type { ProbeDef } from './schema';

/** Results kept per probe, for the window's history. */
const HISTORY = 20;

/** Resolves with what it saw on success; rejects with an Error whose message says what failed. */
type Check = (signal: AbortSignal) => Promise<string>;

export interface ProbeContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Made at the first check that runs a command: the environment is a copy of the backend's, and reading
 * process.env costs a call into the runtime per variable, too much to pay for every TCP or HTTP probe.
 */
type ContextOf = () => ProbeContext;

function execCheck(command: ProbeDef['exec'] & object, contextOf: ContextOf): Check {
  const argv = argvOf(command.command);
  let context: ProbeContext | null = null;
  return (signal) =>
    new Promise((resolve, reject) => {
      context ??= contextOf();
      execFile(argv.command, argv.args, { ...context, signal, killSignal: 'SIGKILL' }, (error) => {
        if (error === null) resolve('exit 0');
        else if (signal.aborted) reject(new Error('timed out'));
        else reject(new Error(typeof error.code === 'number' ? `exit ${error.code}` : error.message));
      });
    });
}

function httpCheck(url: string): Check {
  return async (signal) => {
    const response = await fetch(url, { signal, redirect: 'manual' }).catch((error: Error) => {
      throw new Error(
        signal.aborted ? 'timed out' : ((error.cause as Error | undefined)?.message ?? error.message),
      );
    });
    await response.body?.cancel();
    const detail = `HTTP ${response.status}`;
    if (response.status >= 200 && response.status < 400) return detail;
    throw new Error(detail);
  };
}

function tcpCheck(host: string, port: number): Check {
  const connected = `connected to ${host}:${port}`;
  return (signal) =>
    new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const abort = (): void => {
        socket.destroy();
        reject(new Error('timed out'));
      };
      signal.addEventListener('abort', abort, { once: true });
      socket.once('connect', () => {
        signal.removeEventListener('abort', abort);
        socket.destroy();
        resolve(connected);
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        signal.removeEventListener('abort', abort);
        reject(new Error(error.code ?? error.message));
      });
    });
}

function checkFor(probe: ProbeDef, contextOf: ContextOf): Check | null {
  if (probe.exec) return execCheck(probe.exec, contextOf);
  if (probe.http_get) return httpCheck(probe.http_get.url);
  if (probe.tcp_socket) return tcpCheck(probe.tcp_socket.host, probe.tcp_socket.port);
  return null;
}

export interface ProbeNews {
  passing: boolean;
  /** The verdict changed with this result. */
  flipped: boolean;
  result: ProbeResult;
  /** Failures in a row so far. */
  failures: number;
}

/**
 * One probe over one run of a program. `passing` starts false for readiness and true for liveness;
 * `onNews` is called when the verdict flips or a result differs from the one before.
 */
export class Prober {
  readonly results: ProbeResult[] = [];
  #passing: boolean;
  #successes = 0;
  #failures = 0;
  #timer: NodeJS.Timeout | null = null;
  /** When the next check is due, or when the one under way began (performance.now()); null when none is coming. */
  #checkAt: number | null = null;
  #stopped = false;
  /** The check under way, aborted by its timeout or by stop(). */
  #current: AbortController | null = null;
  readonly #check: Check | null;
  readonly #pattern: RegExp | null;

  constructor(
    private readonly probe: ProbeDef,
    contextOf: ContextOf,
    initiallyPassing: boolean,
    private readonly onNews: (news: ProbeNews) => void,
  ) {
    this.#passing = initiallyPassing;
    this.#check = checkFor(probe, contextOf);
    this.#pattern = probe.log_line === undefined ? null : new RegExp(probe.log_line);
  }

  get passing(): boolean {
    return this.#passing;
  }

  /** When the next check is due, or when the one under way began (performance.now()); null when none is coming. */
  get checkAt(): number | null {
    return this.#checkAt;
  }

  get checking(): boolean {
    return this.#current !== null;
  }

  /** The first check comes once `initial_delay` has passed, counted from `elapsedMs` ago (the run's spawn). */
  start(elapsedMs = 0): void {
    if (this.#check) this.#schedule(Math.max(0, this.probe.initial_delay - elapsedMs));
  }

  /** Feeds a line of the program's output to a log line probe. */
  line(text: string): void {
    if (this.#pattern?.test(text) && !this.#passing) this.#record(true, `matched: ${text.slice(0, 200)}`);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#checkAt = null;
    this.#current?.abort();
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#checkAt = performance.now() + delayMs;
    this.#timer = setTimeout(this.#tick, delayMs);
  }

  readonly #tick = (): void => void this.#run();

  async #run(): Promise<void> {
    const begun = performance.now();
    this.#checkAt = begun;
    const at = Date.now();
    // One controller and one timer per check, both gone when it ends: every period of every program
    // runs this, so it allocates as little as it can (no AbortSignal.any, no timeout timer left behind).
    const check = (this.#current = new AbortController());
    const timeout = setTimeout(() => check.abort(), this.probe.timeout);
    let ok: boolean;
    let detail: string;
    try {
      detail = await this.#check!(check.signal);
      ok = true;
    } catch (error) {
      ok = false;
      detail =
        (error as Error).message === 'timed out'
          ? `timed out after ${this.probe.timeout} ms`
          : (error as Error).message;
    } finally {
      clearTimeout(timeout);
      this.#current = null;
    }
    if (this.#stopped) return;
    this.#record(ok, detail, at);
    // The next check starts one period after this one started: never more often than asked.
    this.#schedule(Math.max(0, this.probe.period - (performance.now() - begun)));
  }

  #record(ok: boolean, detail: string, at = Date.now()): void {
    const result: ProbeResult = { ok, at, detail };
    const last = this.results.at(-1);
    this.results.push(result);
    if (this.results.length > HISTORY) this.results.shift();
    if (ok) {
      this.#successes++;
      this.#failures = 0;
    } else {
      this.#failures++;
      this.#successes = 0;
    }
    const flipped = this.#passing
      ? this.#failures >= this.probe.failure_threshold
      : this.#successes >= this.probe.success_threshold;
    if (flipped) this.#passing = !this.#passing;
    // A steady run of identical results is news once, not every period.
    if (flipped || last?.ok !== ok || last.detail !== detail)
      this.onNews({ passing: this.#passing, flipped, result, failures: this.#failures });
  }
}
