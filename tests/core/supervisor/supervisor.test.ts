// The set of children: names and ids, one event stream, remove, shutdown policies, guard status, spec.
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChildInfo, ChildState } from '../../../shared/model';
import { GUARD_PATH, comm, sh, supervisors } from './helpers';

const make = supervisors();

describe('Supervisor', () => {
  it('names children Process-N and ids cN, counting per supervisor', async () => {
    const supervisor = make();
    const first = supervisor.create({ command: 'true', args: [] });
    const named = supervisor.create({ command: 'true', args: [], name: 'web' });
    const third = supervisor.create({ command: 'true', args: [] });
    expect([first.name, named.name, third.name]).toEqual(['Process-1', 'web', 'Process-3']);
    expect([first.id, named.id, third.id]).toEqual(['c1', 'c2', 'c3']);
    expect(make().create({ command: 'true', args: [] }).name).toBe('Process-1');
    expect(supervisor.get('c2')).toBe(named);
    expect(supervisor.get('c9')).toBeUndefined();
  });

  it('re-emits state and exit of every child, with JSON-safe infos', async () => {
    const supervisor = make();
    const states: ChildState[] = [];
    const exits: ChildInfo[] = [];
    supervisor.on('state', (info: ChildInfo) => states.push(info.state));
    supervisor.on('exit', (info: ChildInfo) => exits.push(info));
    const child = await supervisor.start(sh('exit 4'));
    await child.join();
    expect(states).toEqual(['starting', 'running', 'exited']);
    expect(exits).toHaveLength(1);
    const info = JSON.parse(JSON.stringify(exits[0])) as ChildInfo;
    expect(info).toMatchObject({ id: 'c1', name: 'Process-1', exitcode: 4, state: 'exited', restarts: 0 });
    expect(info.pid).toBe(child.pid);
    expect(info.guardPid).toBe(child.guardPid);
    expect(info.spec).toEqual({ command: 'sh', args: ['-c', 'exit 4'] });
    expect(info.exitedAt! - info.startedAt!).toBeGreaterThanOrEqual(0);
  });

  it('remove() refuses a live child and an unknown id, and forgets an exited one', async () => {
    const supervisor = make();
    const child = await supervisor.start({ command: 'sleep', args: ['1000'] });
    expect(() => supervisor.remove(child.id)).toThrow(expect.objectContaining({ code: 'E_STATE' }));
    expect(() => supervisor.remove('c42')).toThrow(expect.objectContaining({ code: 'E_NO_SUCH_CHILD' }));
    await child.kill();
    supervisor.remove(child.id);
    expect(supervisor.children()).toEqual([]);
    expect(supervisor.get(child.id)).toBeUndefined();
  });

  it("shutdown('join') joins non-daemon children and terminates daemon ones", async () => {
    const supervisor = make();
    const worker = await supervisor.start(sh('sleep 0.3; exit 5'));
    const daemon = await supervisor.start({ command: 'sleep', args: ['1000'], daemon: true });
    await supervisor.shutdown('join', { joinMs: 5000 });
    expect(worker.exitcode).toBe(5);
    expect(daemon.exitcode).toBe(-15);
  });

  it("shutdown('join') terminates non-daemon children still running after joinMs", async () => {
    const supervisor = make();
    const worker = await supervisor.start({ command: 'sleep', args: ['1000'] });
    const started = performance.now();
    await supervisor.shutdown('join', { joinMs: 200 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(195);
    expect(worker.exitcode).toBe(-15);
  });

  it("shutdown('terminate') terminates everything at once", async () => {
    const supervisor = make();
    const children = await Promise.all([
      supervisor.start({ command: 'sleep', args: ['1000'] }),
      supervisor.start({ command: 'sleep', args: ['1000'], daemon: true }),
    ]);
    await supervisor.shutdown('terminate');
    expect(children.map((child) => child.exitcode)).toEqual([-15, -15]);
  });

  it('reports the shim guard it found', () => {
    expect(make().guardStatus()).toEqual({ kind: 'shim', path: GUARD_PATH });
    expect(make({ guardPath: GUARD_PATH }).guardStatus()).toEqual({ kind: 'shim', path: GUARD_PATH });
  });

  it('knows the guard from its spawn, before the guard reports the program, so the monitor can fold it', async () => {
    // A guard that takes its time: the same guard, exec'd after a pause, keeps the wrapper's pid.
    const dir = mkdtempSync(join(tmpdir(), 'proctor-slow-guard-'));
    const slowGuard = join(dir, 'slow-guard');
    writeFileSync(slowGuard, `#!/bin/sh\nsleep 0.3\nexec ${GUARD_PATH} "$@"\n`, { mode: 0o755 });
    try {
      const child = make({ guardPath: slowGuard }).create(sh('exit 0'));
      const started = child.start();
      await expect.poll(() => child.guardPid).not.toBeNull();
      expect(child.state).toBe('starting');
      expect(child.pid).toBeNull();
      const guardPid = child.guardPid;
      await started;
      expect(child.state === 'running' || child.state === 'exited').toBe(true);
      expect(child.guardPid).toBe(guardPid);
      expect(await child.join(5000)).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('falls back to a loudly reported weak guard that still supervises', async () => {
    const supervisor = make({ guardPath: '/nonexistent/proctor-guard' });
    const status = supervisor.guardStatus();
    expect(status.kind).toBe('weak');
    expect(status.reason).toMatch(/not found or not executable at \/nonexistent\/proctor-guard/);
    const child = await supervisor.start({ command: 'sleep', args: ['1000'] });
    expect(comm(child.pid!)).toBe('sleep');
    expect(child.guardPid).toBeNull();
    await child.terminate();
    expect(child.exitcode).toBe(-15);
  });

  it('runs in the given cwd, with env merged over ours or replacing it', async () => {
    const supervisor = make();
    const dir = realpathSync(tmpdir());
    const merged = await supervisor.start({
      ...sh('pwd; echo "$PROCTOR_X $HOME"'),
      cwd: dir,
      env: { PROCTOR_X: 'x1' },
    });
    await merged.join();
    expect(merged.output.lines().map((line) => line.text)).toEqual([dir, `x1 ${process.env.HOME ?? ''}`]);

    const replaced = await supervisor.start({
      command: '/usr/bin/env',
      args: [],
      env: { ONLY: 'this' },
      inheritEnv: false,
    });
    await replaced.join();
    expect(replaced.output.lines().map((line) => line.text)).toEqual(['ONLY=this']);
  });
});
