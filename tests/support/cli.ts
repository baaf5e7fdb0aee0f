// The real `proctor` command, built, run as a user would: a backend from `proctor up` and commands against it.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from './in-process-server';

export const PROCTOR = join(repoRoot, 'bin', 'proctor.mjs');
export const BUILT_PROCTOR = join(repoRoot, 'out', 'main', 'proctor.js');

/** Runs the bin script once, which builds when the sources are newer than out/. */
export function ensureBuilt(): void {
  const result = spawnSync(process.execPath, [PROCTOR, '--version'], { cwd: repoRoot, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`proctor --version failed: ${result.stderr}`);
}

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** A short socket path of its own (sun_path is 108 bytes), in a fresh directory Proctor has to make. */
export function freshSocket(): string {
  return join(mkdtempSync(join(tmpdir(), 'pcli-')), 'run', 'proctor.sock');
}

export function proctor(
  socket: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BUILT_PROCTOR, ...args],
      {
        env: { ...process.env, NO_COLOR: '1', ...env, PROCTOR_SOCKET: socket },
        cwd: repoRoot,
        timeout: 60_000,
        // `ps --all --json` on a busy machine (5,000 processes) prints more than execFile's default 1 MiB.
        maxBuffer: 256 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const status = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ status, stdout, stderr });
      },
    );
  });
}

export interface UpBackend {
  process: ChildProcess;
  pid: number;
  url: string;
  socket: string;
  /** What the backend has written to stderr so far. */
  stderr: () => string;
}

/** `proctor up` in the foreground, as a child of the test; resolves once it printed its socket line. */
export async function up(socket: string, extraArgs: readonly string[] = []): Promise<UpBackend> {
  const settingsDir = mkdtempSync(join(tmpdir(), 'pcli-settings-'));
  const settings = join(settingsDir, 'settings.json');
  const child = spawn(process.execPath, [BUILT_PROCTOR, 'up', '--settings', settings, ...extraArgs], {
    // Its logs beside the settings, so `proctor logs` sees this run's programs, not the user's.
    env: { ...process.env, PROCTOR_SOCKET: socket, XDG_STATE_HOME: settingsDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout! });
  let url = '';
  await new Promise<void>((resolve, reject) => {
    // A backend that never said it was serving is stopped, not left behind the failed test.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`proctor up printed no socket line in 30 s: ${stderr}`));
    }, 30_000);
    child.once('exit', (code) => reject(new Error(`proctor up exited early with ${code}: ${stderr}`)));
    lines.on('line', (line) => {
      url = /^Proctor headless at (\S+)$/.exec(line)?.[1] ?? url;
      if (line.startsWith('Proctor socket at ')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { process: child, pid: child.pid!, url, socket, stderr: () => stderr };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
