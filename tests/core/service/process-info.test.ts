// Signalling single processes: the kernel's EPERM and ESRCH come back as coded errors with words.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CodedError } from '../../../shared/errors';
import { readCwd, readEnviron, sendSignal } from '../../../electron/core/process-info';
import { repoRoot } from '../../support/in-process-server';

describe('sendSignal', () => {
  it('answers a pid that has exited with E_NO_SUCH_PROCESS', () => {
    const gone = spawnSync('true').pid!;
    expect(() => sendSignal(gone, 'SIGTERM')).toThrow(
      new CodedError('E_NO_SUCH_PROCESS', `no such process: process ${gone} has already exited`),
    );
  });

  // Root may signal anything, so EPERM needs another user: the same code, run as `nobody`, sends the
  // harmless SIGCONT to a process of root's. The target gets its own session because the kernel lets
  // SIGCONT through to any process of the sender's session, whoever owns it (pid 1 shares the
  // test's session on some CI machines).
  it.skipIf(process.getuid?.() !== 0 || !existsSync('/usr/bin/setpriv'))(
    'answers a process of another user with E_EPERM in words',
    () => {
      const target = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
      try {
        const probe = `import { sendSignal } from './electron/core/process-info.ts';
          try { sendSignal(${target.pid}, 'SIGCONT'); console.log('sent'); } catch (error) { console.log(JSON.stringify(error.toJSON())); }`;
        const run = spawnSync(
          'setpriv',
          [
            '--reuid=65534',
            '--regid=65534',
            '--clear-groups',
            process.execPath,
            '--import',
            'tsx',
            '--input-type=module',
            '-e',
            probe,
          ],
          { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, HOME: '/tmp' } },
        );
        expect(run.stderr).toBe('');
        expect(run.stdout.trim(), 'the kernel let the signal through').not.toBe('sent');
        expect(JSON.parse(run.stdout)).toEqual({
          code: 'E_EPERM',
          message: `not permitted to send SIGCONT to process ${target.pid}: it belongs to another user`,
        });
      } finally {
        target.kill('SIGKILL');
      }
    },
  );
});

describe('reading a process', () => {
  it('reads its own cwd and environment, and null for a pid that is gone', () => {
    expect(readCwd(process.pid)).toBe(process.cwd());
    expect(readEnviron(process.pid)?.PATH).toBe(process.env.PATH);
    const gone = spawnSync('true').pid!;
    expect(readCwd(gone)).toBeNull();
    expect(readEnviron(gone)).toBeNull();
  });
});
