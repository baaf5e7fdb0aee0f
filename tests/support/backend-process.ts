// The real built headless backend (`out/main/server.js`) as its own process, with a contract client: for
// the e2e fixtures and for the tests that must see the process survive (or exit) as a user would.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { CommandName, RequestOf, ResponseOf, Result } from '../../shared/contract';
import { connectContract } from './ws-client';

export const SERVER_SCRIPT = 'out/main/server.js';

export interface Backend {
  /** The URL the server printed, token included. */
  url: string;
  origin: string;
  token: string;
  process: ChildProcess;
  settingsFile: string;
  /** Everything the server wrote to stderr so far, when started with `captureStderr`. */
  stderr(): string;
  invoke<C extends CommandName>(name: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
  /** invoke, throwing on `{ ok: false }` */
  call<C extends CommandName>(name: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
}

export interface BackendOptions {
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Default: a settings.json in a fresh temp folder, so a test never changes the user's own. */
  settingsFile?: string;
  /** Keep stderr to read (a test that checks the log, or one that floods it); default: inherited. */
  captureStderr?: boolean;
  /** Run it as this user and group (a root test run's way to meet what an ordinary user may not do). */
  uid?: number;
  gid?: number;
  /** Serve on the port and token the last run with this settings file kept (default: `--port 0`). */
  keepAddress?: boolean;
}

export async function startBackend(options: BackendOptions = {}): Promise<Backend> {
  if (!existsSync(SERVER_SCRIPT)) throw new Error(`${SERVER_SCRIPT} is missing: run \`npm run build\` first`);
  const settingsFile =
    options.settingsFile ?? join(mkdtempSync(join(tmpdir(), 'proctor-backend-')), 'settings.json');
  const child = spawn(
    process.execPath,
    [
      SERVER_SCRIPT,
      ...(options.keepAddress ? [] : ['--port', '0']),
      '--settings',
      settingsFile,
      ...(options.args ?? []),
    ],
    {
      stdio: ['ignore', 'pipe', options.captureStderr ? 'pipe' : 'inherit'],
      // Its logs, post-mortems and lesson edits beside its settings: backends of parallel test workers
      // never share them, and one restarted on the same settings file finds its own again.
      env: { ...process.env, XDG_STATE_HOME: join(dirname(settingsFile), 'state'), ...options.env },
      uid: options.uid,
      gid: options.gid,
    },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    // Generous: on a loaded machine, starting Node and taking the first sample can take seconds.
    const timer = setTimeout(() => reject(new Error('headless server printed no URL within 60 s')), 60_000);
    child.once('exit', (code) => reject(new Error(`headless server exited early with ${code}: ${stderr}`)));
    lines.on('line', (line) => {
      const match = /^Proctor headless at (\S+)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
  });
  const parsed = new URL(url);
  const token = parsed.searchParams.get('token') ?? '';
  const client = await connectContract(url, token);
  child.once('exit', () => client.close());
  return {
    url,
    origin: parsed.origin,
    token,
    process: child,
    settingsFile,
    stderr: () => stderr,
    invoke: client.invoke,
    call: client.call,
  };
}

export function isRunning(backend: Backend): boolean {
  return backend.process.exitCode === null && backend.process.signalCode === null;
}

/** SIGTERM, then the exit code (or signal) the process ended with. */
export async function stopBackend(backend: Backend): Promise<number | NodeJS.Signals | null> {
  if (!isRunning(backend)) return backend.process.exitCode ?? backend.process.signalCode;
  const exited = once(backend.process, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  backend.process.kill('SIGTERM');
  const [code, signal] = await exited;
  return code ?? signal;
}
