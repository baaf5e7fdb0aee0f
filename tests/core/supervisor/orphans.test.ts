// Nothing left behind: the app is SIGKILLed (its whole process group) and within 2 s no process
// carrying the children's environment tag exists, including setsid'd and double-forked daemons.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GUARD_PATH, REPO, buildGuard, hasCompiler, killAll, pidsWithEnv, waitFor } from './helpers';

const HOST = join(REPO, 'tests', 'fixtures', 'supervisor', 'host.ts');
const RUNS = 10;
const DEADLINE_MS = 2000;
/**
 * 4 guards + sleep + (sh, 2 sleeps) + (sh, sleep, setsid sleep) + (sh, sleep, re-parented setsid sleep)
 * + the spare guard waiting for the first one's instant restart.
 */
const TAGGED_PER_RUN = 15;

interface HostReport {
  guard: { kind: string };
  children: Array<{ state: string; pid: number; guardPid: number }>;
}

const tags: string[] = [];
const hosts: number[] = [];

beforeAll(buildGuard);
afterEach(() => {
  // Only reached with survivors if an assertion failed: never leave them running.
  // The host first: alive, it would restart the child that restarts at once.
  killAll(hosts.splice(0));
  for (const tag of tags.splice(0)) killAll(pidsWithEnv(tag));
});

const guardMissing = !existsSync(GUARD_PATH) && !hasCompiler();
if (guardMissing) console.warn('orphans.test: SKIPPED, no C compiler, so the guard shim could not be built');

describe.skipIf(guardMissing)('SIGKILL of the app', () => {
  it(`leaves no tagged process behind, ${RUNS} runs out of ${RUNS}`, async () => {
    const cleanups: number[] = [];
    const survivors: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const tag = `PROCTOR_ORPHAN_TAG=${process.pid}-${Date.now()}-${run}`;
      tags.push(tag);
      // detached: the host leads its own group, which we kill whole, as a session manager would.
      const host = spawn(process.execPath, ['--import', 'tsx', HOST, tag], {
        cwd: REPO,
        detached: true,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      hosts.push(host.pid!);
      const [first] = (await once(createInterface({ input: host.stdout! }), 'line')) as [string];
      const report = JSON.parse(first) as HostReport;
      expect(report.guard.kind).toBe('shim');
      expect(report.children.map((child) => child.state)).toEqual(Array(4).fill('running'));
      // The backgrounded and setsid'd sleeps start a moment after their shells.
      await waitFor(() => pidsWithEnv(tag).length === TAGGED_PER_RUN, 10_000);

      const killedAt = Date.now();
      process.kill(-host.pid!, 'SIGKILL');
      // Killed: its pid may be anyone's soon, so afterEach must not kill it again.
      hosts.pop();
      try {
        await waitFor(() => pidsWithEnv(tag).length === 0, DEADLINE_MS, 5);
        cleanups.push(Date.now() - killedAt);
      } catch {
        survivors.push(pidsWithEnv(tag).length);
      }
    }
    console.log(
      `orphans: survivors per run ${JSON.stringify(survivors)}; all gone after ms ${JSON.stringify(cleanups)}`,
    );
    expect(survivors).toEqual([]);
    expect(Math.max(...cleanups)).toBeLessThanOrEqual(DEADLINE_MS);
  }, 90_000);
});
