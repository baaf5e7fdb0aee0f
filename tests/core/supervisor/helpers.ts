// Shared by the supervisor tests: the guard build, supervisors that clean up after each test,
// and reading /proc to see which processes really exist.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll } from 'vitest';
import { Supervisor, type Child, type SupervisorOptions } from '../../../electron/core/supervisor';

export const REPO = join(import.meta.dirname, '..', '..', '..');
export const GUARD_PATH = join(REPO, 'native', 'build', 'proctor-guard');

/** Builds the shim if its source is newer than the binary (the build script decides). */
export function buildGuard(): void {
  execFileSync(process.execPath, [join(REPO, 'scripts', 'build-guard.mjs')], { stdio: 'inherit' });
}

export function hasCompiler(): boolean {
  return spawnSync('cc', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Registers the hooks and returns a factory: every supervisor it makes has all its children killed
 * after each test, so a failing assertion never leaves `sleep 1000` behind.
 */
export function supervisors(): (options?: SupervisorOptions) => Supervisor {
  const made: Supervisor[] = [];
  beforeAll(buildGuard);
  afterEach(async () => {
    const children = made.splice(0).flatMap((supervisor) => supervisor.children());
    await Promise.all(children.map((child) => child.kill()));
  });
  return (options) => {
    const supervisor = new Supervisor(options);
    made.push(supervisor);
    return supervisor;
  };
}

export function sh(script: string): { command: string; args: string[] } {
  return { command: 'sh', args: ['-c', script] };
}

/** True while a process with this pid exists and is not a zombie. */
export function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Fields of /proc/<pid>/stat after the command name: [state, ppid, pgrp, session, ...]. */
export function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

export function comm(pid: number): string {
  return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
}

/** Pids whose environment contains `entry` (e.g. `TAG=value`); zombies have an empty environ. */
export function pidsWithEnv(entry: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(entry))
        found.push(Number(name));
    } catch {
      // Gone already, or not ours to read.
    }
  }
  return found;
}

export function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

export async function waitFor<T>(
  probe: () => T | undefined | false,
  timeoutMs: number,
  stepMs = 10,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}

/** Resolves with the first output line matching `pattern` (already captured or still to come). */
export function outputLine(child: Child, pattern: RegExp): Promise<string> {
  const seen = child.output.lines().find((line) => pattern.test(line.text));
  if (seen) return Promise.resolve(seen.text);
  return new Promise((resolve) => {
    const stop = child.output.subscribe((line) => {
      if (!pattern.test(line.text)) return;
      stop();
      resolve(line.text);
    });
  });
}
