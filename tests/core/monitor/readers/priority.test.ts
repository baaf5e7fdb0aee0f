// Nice and priority of real processes, renice through the contract, and the kernel's refusal in words.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readPriority } from '../../../../electron/core/monitor/readers/priority';
import { useConnectedServer } from '../../../support/in-process-server';
import { cleanup, firstLine, start } from '../helpers';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
afterAll(cleanup);

describe('renice', () => {
  const server = useConnectedServer();

  it('sets the nice value through processes:renice, and readPriority sees it', async () => {
    const child = start('python3', ['-c', 'import sys; print("up", flush=True); sys.stdin.readline()']);
    await firstLine(child);
    expect(readPriority(child.pid!)).toEqual({ nice: 0, priority: 20 });
    const result = await server.client.invoke('processes:renice', { pid: child.pid!, nice: 7 });
    expect(result).toEqual({ ok: true, value: { pid: child.pid, nice: 7 } });
    expect(readPriority(child.pid!)).toEqual({ nice: 7, priority: 27 });
    const gone = await server.client.invoke('processes:renice', { pid: 4_000_000, nice: 1 });
    expect(gone).toMatchObject({ ok: false, error: { code: 'E_NO_SUCH_PROCESS' } });
    const bad = await server.client.invoke('processes:renice', { pid: child.pid!, nice: 20 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'E_INVALID', path: 'nice' } });
  });

  it("says EPERM in words: lowering nice without root, and another user's process", () => {
    // The wrapper run as `nobody`, against a process of its own and against this (root's) test.
    const script = `
      import { spawn } from 'node:child_process';
      import { renice } from './electron/core/monitor/readers/priority.ts';
      const own = spawn('sleep', ['30']);
      const tries = [[own.pid, 5], [own.pid, 0], [${process.pid}, 10]];
      for (const [pid, nice] of tries) {
        try { renice(pid, nice); console.log('ok'); } catch (e) { console.log(e.code + ' ' + e.message); }
      }
      own.kill();`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      uid: 65534,
      gid: 65534,
      encoding: 'utf8',
      env: { ...process.env, HOME: '/tmp' },
    });
    const lines = run.stdout.trim().split('\n');
    expect(lines, run.stderr).toEqual([
      'ok',
      expect.stringMatching(
        /^E_NICE_EPERM not permitted to lower the nice value of process \d+ from 5 to 0: that needs root/,
      ),
      `E_NICE_EPERM not permitted to change the priority of process ${process.pid}: it belongs to another user`,
    ]);
  });
});
