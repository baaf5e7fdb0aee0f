// `proctor up` runs a headless backend serving the socket (in the foreground, or detached until it answers);
// `proctor down` stops it by the quit policy and waits until it is gone.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { probeBackend } from '../client/attach';
import { leanHeap } from '../server/lean-heap';
import { parseServerOptions } from '../server/options';
import { chosenSocket, withBackend } from './backend';
import { CliFailure, usageError } from './failure';

export interface CliContext {
  /** The checkout or install the built files and lessons are in. */
  root: string;
  /** The script that runs `proctor`, for a detached backend to run again. */
  entry: string;
}

interface UpOptions {
  file?: string;
  port?: string;
  token?: string;
  host?: string;
  settings?: string;
  metricsPort?: string;
  detach?: boolean;
}

const DETACH_WAIT_MS = 30_000;
const POLL_MS = 100;
const URL_LINE = /^Proctor headless at (\S+)$/m;
/** What `proctor up` loads when no -f names a file, like docker compose's compose.yaml. */
export const DEFAULT_STACK_FILE = 'proctor.yaml';

/** `-f FILE` as an absolute path (a detached backend runs elsewhere), else ./proctor.yaml when there is one. */
function stackFile(options: UpOptions): string | null {
  if (options.file !== undefined) return resolve(options.file);
  return existsSync(DEFAULT_STACK_FILE) ? resolve(DEFAULT_STACK_FILE) : null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Headless mode's own option parser checks these: one set of rules. */
const SERVER_FLAGS = {
  port: '--port',
  token: '--token',
  host: '--host',
  settings: '--settings',
  metricsPort: '--metrics-port',
} as const;

function serverArgs(options: UpOptions): string[] {
  return (Object.keys(SERVER_FLAGS) as Array<keyof typeof SERVER_FLAGS>).flatMap((key) =>
    options[key] === undefined ? [] : [SERVER_FLAGS[key], options[key]],
  );
}

/** Starts `proctor up` in the background, its output in a log beside the socket, and waits until it answers. */
async function detach(context: CliContext, socket: string, args: string[]): Promise<void> {
  const logFile = `${socket}.log`;
  mkdirSync(dirname(socket), { recursive: true, mode: 0o700 });
  const log = openSync(logFile, 'w', 0o600);
  const child = spawn(process.execPath, [context.entry, 'up', ...args], {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, PROCTOR_SOCKET: socket },
  });
  closeSync(log);
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? 128));
  child.unref();
  const deadline = Date.now() + DETACH_WAIT_MS;
  while (Date.now() < deadline) {
    if (exited !== null)
      throw new CliFailure(
        `the backend exited with status ${exited} before it answered:\n${readFileSync(logFile, 'utf8').trim()}`,
      );
    const answering = await probeBackend(socket, 500);
    if (answering && answering.info.pid === child.pid) {
      answering.client.close();
      const url = URL_LINE.exec(readFileSync(logFile, 'utf8'))?.[1];
      console.log(`Proctor headless at ${url ?? '(see the log)'}`);
      console.log(`Proctor socket at ${socket} (pid ${child.pid}, log ${logFile})`);
      return;
    }
    answering?.client.close();
    await sleep(POLL_MS);
  }
  throw new CliFailure(
    `the backend did not answer on ${socket} within ${DETACH_WAIT_MS / 1000} s; see ${logFile}`,
  );
}

export function upCommands(program: Command, context: CliContext): void {
  program
    .command('up')
    .description(
      'run a headless backend with a stack: the socket, the web UI and the WebSocket; prints the URL',
    )
    .option('-f, --file <file>', `the stack file to load (default ./${DEFAULT_STACK_FILE} when it exists)`)
    .option(
      '--port <n>',
      "HTTP port of the web UI (default: the last run's, else a free one; 0: a new one each start)",
    )
    .option(
      '--token <token>',
      "the web UI token (default: the last run's, kept beside the settings, else a fresh one)",
    )
    .option('--host <host>', 'address to serve the web UI on (default 127.0.0.1)')
    .option('--settings <file>', 'settings file (default $XDG_CONFIG_HOME/proctor/settings.json)')
    .option('--metrics-port <n>', 'also serve /metrics alone on 127.0.0.1 at this port (0: a free one)')
    .option('-d, --detach', 'run in the background and return once it answers')
    .action(async (options: UpOptions, command: Command) => {
      const socket = chosenSocket(command);
      const stack = stackFile(options);
      const args = serverArgs(options);
      let server;
      try {
        server = parseServerOptions(args);
      } catch (error) {
        throw usageError((error as Error).message);
      }
      if (options.detach) {
        const running = await probeBackend(socket);
        if (running) {
          running.client.close();
          throw new CliFailure(`Proctor is already running (pid ${running.info.pid}) on ${socket}`);
        }
        return detach(context, socket, stack === null ? args : [...args, '--file', stack]);
      }
      leanHeap();
      // Loaded only here: the backend is most of the code, and every other command starts faster without it.
      const { runHeadless } = await import('../server/headless');
      await runHeadless({ ...server, root: context.root, socketPath: socket, stackFile: stack });
    });
  program
    .command('down')
    .description('stop the backend: its children by the quit policy (join, then terminate), then itself')
    .action((_options: object, command: Command) =>
      withBackend(command, async (client) => {
        const { pid } = await client.call('app:info', {});
        const { quitJoinMs, graceMs } = await client.call('settings:get', {});
        process.kill(pid, 'SIGTERM');
        const deadline = Date.now() + quitJoinMs + graceMs + 10_000;
        while (alive(pid)) {
          if (Date.now() > deadline)
            throw new CliFailure(`Proctor (pid ${pid}) is still running after SIGTERM`);
          await sleep(POLL_MS);
        }
        console.log(`Proctor (pid ${pid}) stopped`);
      }),
    );
}
