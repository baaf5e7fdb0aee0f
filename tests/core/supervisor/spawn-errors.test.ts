// Start failures land in state `failed` with words, never as a throw, and the supervisor carries on.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChildSpec } from '../../../shared/model';
import type { Supervisor } from '../../../electron/core/supervisor';
import { supervisors } from './helpers';

const make = supervisors();
const dir = mkdtempSync(join(tmpdir(), 'proctor-spawn-'));
writeFileSync(join(dir, 'x.sh'), '#!/bin/sh\necho never\n');
chmodSync(join(dir, 'x.sh'), 0o644);
mkdirSync(join(dir, 'sub'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cases: Array<[string, ChildSpec, string, string]> = [
  [
    'a missing command',
    { command: 'proctor-no-such-command', args: [] },
    'E_SPAWN_ENOENT',
    'command not found: proctor-no-such-command',
  ],
  [
    'a non-executable file',
    { command: './x.sh', args: [], cwd: dir },
    'E_SPAWN_EACCES',
    'permission denied: ./x.sh',
  ],
  [
    'a directory as the command',
    { command: dir, args: [] },
    'E_SPAWN_EISDIR',
    `is a directory, not a program: ${dir}`,
  ],
  [
    'a directory on PATH as the command',
    { command: 'sub', args: [], env: { PATH: dir } },
    'E_SPAWN_EISDIR',
    'is a directory, not a program: sub',
  ],
  [
    'a cwd that is a file',
    { command: 'true', args: [], cwd: join(dir, 'x.sh') },
    'E_CWD_NOT_DIR',
    `working directory is not a directory: ${join(dir, 'x.sh')}`,
  ],
  [
    // Node throws this one at once, before any process exists (65,536 × "€" is 196 KB).
    'one argument over the kernel limit of 128 KiB',
    { command: 'echo', args: ['€'.repeat(65_536)] },
    'E_SPAWN_E2BIG',
    'the arguments and environment of echo are too long for the system (E2BIG): each may be at most 128 KiB',
  ],
  [
    'a missing cwd',
    { command: 'true', args: [], cwd: '/nope' },
    'E_BAD_CWD',
    'working directory does not exist: /nope',
  ],
];

async function expectFailure(supervisor: Supervisor, spec: ChildSpec, code: string, message: string) {
  const child = await supervisor.start(spec);
  expect(child.state).toBe('failed');
  expect(child.error).toEqual({ code, message });
  expect(child.pid).toBeNull();
  expect(child.isAlive()).toBe(false);
  expect(await child.join()).toBeNull();
  expect(child.info().error).toEqual({ code, message });
}

describe.each([
  ['through the guard shim', {}],
  ['through the weak fallback', { guardPath: '/nonexistent/proctor-guard' }],
])('spawn errors %s', (_how, options) => {
  it.each(cases)('%s', async (_what, spec, code, message) => {
    const supervisor = make(options);
    await expectFailure(supervisor, spec, code, message);
    // The supervisor keeps working after the failure.
    const next = await supervisor.start({ command: 'sh', args: ['-c', 'echo fine'] });
    expect(await next.join()).toBe(0);
    expect(next.output.lines().map((line) => line.text)).toEqual(['fine']);
  });
});

describe('after a start the kernel refused (E2BIG)', () => {
  it('terminate, kill, join, remove and shutdown behave as after a missing command', async () => {
    const supervisor = make();
    const tooBig = await supervisor.start({ command: 'echo', args: ['€'.repeat(65_536)] });
    const missing = await supervisor.start({ command: 'proctor-no-such-command', args: [] });
    for (const child of [tooBig, missing]) {
      await child.terminate();
      await child.kill();
      expect(await child.join(1_000)).toBeNull();
      expect(child.state).toBe('failed');
    }
    const again = await supervisor.start({ command: 'echo', args: ['€'.repeat(65_536)] });
    await expect(supervisor.shutdown('join', { joinMs: 100 })).resolves.toEqual([]);
    supervisor.remove(tooBig.id);
    supervisor.remove(missing.id);
    expect(supervisor.children().map((child) => child.id)).toEqual([again.id]);
  });
});
