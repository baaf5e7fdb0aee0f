// Post-mortems with real crashes: a family killed by SIGSEGV leaves its last lines, its tree and its
// CPU/RSS curve on disk, readable after a backend restart; a stop that was asked for leaves nothing.
import { describe, expect, it } from 'vitest';
import { POSTMORTEMS_KEPT } from '../../../electron/core/logs/postmortem-store';
import { sh } from '../supervisor/helpers';
import { call, collect, logServices, tempRoot, until } from './helpers';

const service = logServices();

// 300 lines, a grandchild, a second and a half of life for the monitor to sample, then SIGSEGV.
const CRASHER = [
  'import os, subprocess, sys, time',
  'for i in range(300): print(f"line {i}")',
  'sys.stdout.flush()',
  'subprocess.Popen(["sleep", "60"])',
  'x = bytearray(20_000_000)',
  'time.sleep(1.5)',
  'os.kill(os.getpid(), 11)',
].join('\n');

describe('post-mortems', () => {
  it('records a SIGSEGV with the last 200 lines, the family tree and the curve, and keeps it over a restart', async () => {
    const root = tempRoot();
    const first = service({ logs: { root } });
    await call(first, 'settings:set', { intervalMs: 250 });
    await first.start();
    const recorded = collect(first, 'postmortem:new');
    const child = await call(first, 'children:start', {
      name: 'crasher',
      command: 'python3',
      args: ['-c', CRASHER],
    });
    const summary = await until('the post-mortem', () => recorded[0]);
    expect(summary).toMatchObject({
      program: 'crasher',
      childId: child.id,
      exitcode: -11,
      reason: '-11 SIGSEGV: segmentation fault',
      outcome: 'stopped',
      restarts: 0,
    });

    const record = await call(first, 'postmortems:get', { name: 'crasher', id: summary.id });
    expect(record.lines).toHaveLength(200);
    expect(record.lines[0]!.text).toBe('line 100');
    expect(record.lines.at(-1)!.text).toBe('line 299');
    expect(record.family.map((p) => p.pid)).toContain(child.pid);
    const sleeper = record.family.find((p) => p.cmd.startsWith('sleep 60'));
    expect(sleeper?.ppid).toBe(child.pid);
    expect(record.curve.intervalMs).toBe(250);
    expect(record.curve.rssBytes.length).toBeGreaterThanOrEqual(3);
    // The 20 MB bytearray is in the curve.
    expect(Math.max(...record.curve.rssBytes)).toBeGreaterThan(20_000_000);
    await first.shutdown('terminate');

    const second = service({ logs: { root } });
    const listed = await call(second, 'postmortems:list', {});
    expect(listed).toEqual([summary]);
    expect(await call(second, 'postmortems:get', { name: 'crasher', id: summary.id })).toEqual(record);
  });

  it('says fatal after retries, counts restarts, and leaves nothing for a terminate or a clean exit', async () => {
    const s = service();
    const recorded = collect(s, 'postmortem:new');
    const looping = await call(s, 'children:start', {
      name: 'loop',
      ...sh('echo failing; exit 3'),
      restart: { policy: 'on-failure', maxRetries: 2, backoffMs: 10, maxBackoffMs: 10 },
    });
    await call(s, 'children:join', { id: looping.id, timeoutMs: 10_000 });
    await until('three post-mortems', () => (recorded.length === 3 ? true : undefined));
    expect(recorded.map((r) => [r.reason, r.outcome, r.restarts])).toEqual([
      ['exit code 3', 'restarting', 0],
      ['exit code 3', 'restarting', 1],
      ['exit code 3', 'fatal', 2],
    ]);

    const clean = await call(s, 'children:start', { name: 'clean', ...sh('exit 0') });
    await call(s, 'children:join', { id: clean.id, timeoutMs: 10_000 });
    const stopped = await call(s, 'children:start', { name: 'stopped', ...sh('sleep 60') });
    await call(s, 'children:terminate', { id: stopped.id });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(recorded).toHaveLength(3);
    expect((await call(s, 'postmortems:list', { name: 'loop' })).map((r) => r.outcome)).toEqual([
      'fatal',
      'restarting',
      'restarting',
    ]);
    const missing = await s.invoke('postmortems:get', { name: 'loop', id: '../../etc/passwd' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'E_NO_SUCH_POSTMORTEM' } });
  });

  it(`keeps the last ${POSTMORTEMS_KEPT} of a program`, async () => {
    const s = service();
    const recorded = collect(s, 'postmortem:new');
    const child = await call(s, 'children:start', {
      name: 'many',
      ...sh('exit 1'),
      restart: { policy: 'always', maxRetries: POSTMORTEMS_KEPT + 4, backoffMs: 0, maxBackoffMs: 0 },
    });
    await call(s, 'children:join', { id: child.id, timeoutMs: 30_000 });
    await until('every post-mortem', () => (recorded.length === POSTMORTEMS_KEPT + 5 ? true : undefined));
    const listed = await call(s, 'postmortems:list', { name: 'many' });
    expect(listed).toHaveLength(POSTMORTEMS_KEPT);
    expect(listed[0]!.outcome).toBe('fatal');
    expect(listed.at(-1)!.restarts).toBe(5);
  }, 60_000);
});
