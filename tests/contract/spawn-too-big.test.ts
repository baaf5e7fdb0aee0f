// A start the kernel refuses with E2BIG, end to end through the real built server: every argument is
// within the schema's 128 KiB, but together with the environment they pass ARG_MAX. It must be a failed
// start in words, handled like a missing command, and a SIGTERM of the server afterwards exits 0 after
// the quit policy, letting another child finish its own SIGTERM cleanup.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ChildSpec } from '../../shared/model';
import { startBackend, stopBackend, type Backend } from '../support/backend-process';

const ARG_MAX = Number(execFileSync('getconf', ['ARG_MAX'], { encoding: 'utf8' }));
const CHUNK = 100 * 1024;
/** Arguments of 840 KiB in all, in pieces of 60 KiB: one WebSocket frame (1 MB) carries them. */
const TOO_BIG: ChildSpec = { command: 'echo', args: Array.from({ length: 14 }, () => 'a'.repeat(60 * 1024)) };
const MISSING: ChildSpec = { command: 'proctor-no-such-command', args: [] };

const dir = mkdtempSync(join(tmpdir(), 'proctor-e2big-'));
let backend: Backend;

/** Starting the built server on a loaded machine: the backend module waits up to 60 s for its URL. */
const STARTUP_MS = 90_000;

beforeAll(async () => {
  // The server's own environment fills ARG_MAX up to where TOO_BIG's arguments go past it; the
  // server itself, and children with small arguments, still start.
  const padding: NodeJS.ProcessEnv = {};
  for (let i = 0; i < Math.floor((ARG_MAX - 700 * 1024) / CHUNK); i++) {
    padding[`PROCTOR_PAD_${i}`] = 'p'.repeat(CHUNK - 32);
  }
  const settingsFile = join(dir, 'settings.json');
  writeFileSync(settingsFile, JSON.stringify({ quitJoinMs: 300 }));
  backend = await startBackend({ env: padding, settingsFile, captureStderr: true });
}, STARTUP_MS);

afterAll(async () => {
  if (backend) await stopBackend(backend);
});

/** What start, terminate, join and remove answer for a spec that cannot start. */
async function afterFailedStart(spec: ChildSpec) {
  const started = await backend.invoke('children:start', spec);
  const [child] = (await backend.call('children:list', {})).filter(
    (c) => c.spec.command === spec.command && c.state === 'failed',
  );
  const id = child!.id;
  const terminated = await backend.invoke('children:terminate', { id });
  const joined = await backend.invoke('children:join', { id, timeoutMs: 2_000 });
  const removed = await backend.invoke('children:remove', { id });
  return {
    started,
    after: {
      terminated: terminated.ok && terminated.value.state,
      joined: joined.ok && joined.value,
      removed: removed.ok,
      pid: child!.pid,
    },
  };
}

it('answers E2BIG as a failed start in words; terminate, join and remove then behave as for ENOENT', async () => {
  const tooBig = await afterFailedStart(TOO_BIG);
  expect(tooBig.started).toMatchObject({ ok: false, error: { code: 'E_SPAWN_E2BIG' } });
  expect(!tooBig.started.ok && tooBig.started.error.message).toMatch(/too long for the system \(E2BIG\)/);
  const missing = await afterFailedStart(MISSING);
  expect(missing.started).toMatchObject({ ok: false, error: { code: 'E_SPAWN_ENOENT' } });
  expect(tooBig.after).toEqual(missing.after);
  expect(tooBig.after).toEqual({
    terminated: 'failed',
    joined: { exitcode: null },
    removed: true,
    pid: null,
  });
  expect((await backend.call('app:info', {})).pid).toBe(backend.process.pid);
});

it('exits 0 on SIGTERM with such a child listed, after another child has cleaned up on its SIGTERM', async () => {
  const done = join(dir, 'cleaned');
  await backend.call('children:start', {
    command: 'sh',
    args: ['-c', `trap 'sleep 0.3; echo cleaned > ${done}; exit 0' TERM; while :; do sleep 0.05; done`],
    name: 'cleaner',
  });
  expect(await backend.invoke('children:start', TOO_BIG)).toMatchObject({ ok: false });
  expect(await stopBackend(backend)).toBe(0);
  expect(readFileSync(done, 'utf8')).toBe('cleaned\n');
  expect(backend.stderr()).not.toMatch(/Unhandled|uncaught/i);
});
