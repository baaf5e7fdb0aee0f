// Conformance with CPython's Lib/test/_test_multiprocessing.py (_TestProcess), on real processes.
import { describe, expect, it } from 'vitest';
import type { StopTimelineEvent } from '../../../shared/model';
import { comm, isRunning, outputLine, sh, statFields, supervisors, waitFor } from './helpers';

const make = supervisors();

describe('_TestProcess', () => {
  it('test_process: exitcode None -> 0, is_alive before/during/after, the real pid', async () => {
    const supervisor = make();
    const child = supervisor.create({ command: 'sleep', args: ['0.3'] });
    expect(child.exitcode).toBeNull();
    expect(child.isAlive()).toBe(false);
    expect(child.state).toBe('created');
    expect(child.pid).toBeNull();

    await child.start();
    expect(child.isAlive()).toBe(true);
    expect(child.exitcode).toBeNull();
    expect(child.state).toBe('running');
    const pid = child.pid!;
    // The pid is the program's, not the guard's; the program leads its own process group.
    expect(comm(pid)).toBe('sleep');
    expect(comm(child.guardPid!)).toBe('proctor-guard');
    const [, ppid, pgrp] = statFields(pid);
    expect(Number(ppid)).toBe(child.guardPid);
    expect(Number(pgrp)).toBe(pid);

    expect(await child.join()).toBe(0);
    expect(child.exitcode).toBe(0);
    expect(child.isAlive()).toBe(false);
    expect(child.state).toBe('exited');
    expect(isRunning(pid)).toBe(false);
    expect(supervisor.children()).toEqual([child]);
  });

  it('test_terminate: join(0) is null while alive; terminate gives -SIGTERM', async () => {
    const child = await make().start({ command: 'sleep', args: ['1000'] });
    const timeline: StopTimelineEvent[] = [];
    child.on('stopTimeline', (event: StopTimelineEvent) => timeline.push(event));

    const before = Date.now();
    expect(await child.join(0)).toBeNull();
    expect(await child.join(100)).toBeNull();
    expect(Date.now() - before).toBeGreaterThanOrEqual(95);
    expect(child.isAlive()).toBe(true);

    await child.terminate();
    expect(child.exitcode).toBe(-15);
    expect(await child.join()).toBe(-15);
    expect(child.isAlive()).toBe(false);
    expect(timeline.map((event) => event.phase)).toEqual(['sigterm', 'exited']);
    expect(timeline[0]!.deadline).toBeGreaterThan(timeline[0]!.at);
    expect(timeline[1]!.exitcode).toBe(-15);
  });

  it('test_kill: kill gives -SIGKILL', async () => {
    const child = await make().start({ command: 'sleep', args: ['1000'] });
    const pid = child.pid!;
    await child.kill();
    expect(child.exitcode).toBe(-9);
    expect(child.isAlive()).toBe(false);
    expect(isRunning(pid)).toBe(false);
  });

  it('passes any death signal through the guard unchanged (-SIGUSR1)', async () => {
    const child = await make().start(sh('kill -USR1 $$'));
    expect(await child.join()).toBe(-10);
  });

  it('test_many_processes: 100 exit 0, then 100 terminated give -SIGTERM', async () => {
    const supervisor = make();
    const quick = await Promise.all(
      Array.from({ length: 100 }, () => supervisor.start({ command: 'true', args: [] })),
    );
    expect(await Promise.all(quick.map((child) => child.join()))).toEqual(Array(100).fill(0));

    const sleepers = await Promise.all(
      Array.from({ length: 100 }, () => supervisor.start({ command: 'sleep', args: ['1000'] })),
    );
    expect(sleepers.every((child) => child.state === 'running')).toBe(true);
    await Promise.all(sleepers.map((child) => child.terminate()));
    expect(sleepers.map((child) => child.exitcode)).toEqual(Array(100).fill(-15));
    expect(sleepers.filter((child) => isRunning(child.pid!))).toEqual([]);
  });

  it.each([1, 8])('test_sys_exit analogue: exit %i', async (code) => {
    const child = await make().start(sh(`echo leaving; exit ${code}`));
    expect(await child.join()).toBe(code);
    expect(child.state).toBe('exited');
    expect(child.output.lines().map((line) => line.text)).toEqual(['leaving']);
  });

  it('cannot start a process twice', async () => {
    const child = await make().start({ command: 'true', args: [] });
    expect(() => child.start()).toThrow(expect.objectContaining({ code: 'E_STATE' }));
    await child.join();
    expect(() => child.start()).toThrow(/cannot be started twice/);
  });

  it('daemon is settable before start and throws after', async () => {
    const child = make().create({ command: 'true', args: [] });
    child.daemon = true;
    expect(child.daemon).toBe(true);
    await child.start();
    expect(() => {
      child.daemon = false;
    }).toThrow(expect.objectContaining({ code: 'E_STATE' }));
    expect(child.daemon).toBe(true);
  });

  it('join() twice is fine', async () => {
    const child = await make().start(sh('exit 3'));
    expect(await Promise.all([child.join(), child.join()])).toEqual([3, 3]);
    expect(await child.join()).toBe(3);
    expect(await child.join(0)).toBe(3);
  });

  it('terminate after exit is a no-op', async () => {
    const child = await make().start({ command: 'true', args: [] });
    await child.join();
    const events: unknown[] = [];
    child.on('stopTimeline', (event) => events.push(event));
    child.on('state', (info) => events.push(info));
    await child.terminate();
    await child.kill();
    expect(child.exitcode).toBe(0);
    expect(child.state).toBe('exited');
    expect(events).toEqual([]);
  });

  it('kills what the child leaves behind when it exits, even a setsid daemon', async () => {
    const child = await make().start(sh('sleep 1000 & echo $!; setsid sleep 1000 & echo $!; echo ready'));
    await outputLine(child, /^ready$/);
    const left = child.output
      .lines()
      .map((line) => Number(line.text))
      .filter((pid) => pid > 0);
    expect(left).toHaveLength(2);
    expect(await child.join()).toBe(0);
    // The guard kills and reaps the family before it reports the exit.
    expect(left.filter(isRunning)).toEqual([]);
    await waitFor(() => !isRunning(child.guardPid!), 1000);
  });

  it('if the guard itself is SIGKILLed, the child dies with it', async () => {
    const child = await make().start({ command: 'sleep', args: ['1000'] });
    const pid = child.pid!;
    process.kill(child.guardPid!, 'SIGKILL');
    expect(await child.join()).toBe(-9);
    await waitFor(() => !isRunning(pid), 1000);
  });
});
