// Restart policy: supervisord's backoff -> fatal with pm2's doubling delay; explicit stops never restart.
import { describe, expect, it } from 'vitest';
import type { ChildInfo, ChildState, RestartPolicy } from '../../../shared/model';
import { Backoff } from '../../../electron/core/supervisor/backoff';
import { readdirSync, readFileSync } from 'node:fs';
import { isRunning, sh, statFields, supervisors, waitFor } from './helpers';

const make = supervisors();

function policy(
  name: RestartPolicy['policy'],
  maxRetries = 5,
  backoffMs = 50,
  maxBackoffMs = 400,
): RestartPolicy {
  return { policy: name, maxRetries, backoffMs, maxBackoffMs };
}

/** Our guards spawned with -w that have started nothing yet: waiting for their go on the link. */
function spareGuards(): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      parents.set(Number(name), Number(statFields(Number(name))[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  const hasChildren = new Set(parents.values());
  return [...parents]
    .filter(([pid, parent]) => {
      if (parent !== process.pid || hasChildren.has(pid)) return false;
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0');
        return argv[0]!.endsWith('proctor-guard') && argv[1] === '-w';
      } catch {
        return false;
      }
    })
    .map(([pid]) => pid);
}

/** Time spent in each `backoff` before the next `starting`, read from the state history. */
function backoffDelays(info: ChildInfo): number[] {
  const delays: number[] = [];
  info.history.forEach((change, i) => {
    const next = info.history[i + 1];
    if (change.state === 'backoff' && next?.state === 'starting') delays.push(next.at - change.at);
  });
  return delays;
}

describe('Backoff', () => {
  it('doubles the delay up to the cap, then goes fatal after maxRetries, saying why', () => {
    const backoff = new Backoff(policy('on-failure', 6, 100, 1000));
    // Exits 100 ms apart, each run 5 ms long: the streak began 5 ms before the first exit.
    const decisions = Array.from({ length: 7 }, (_, i) => backoff.afterExit(1, 5, 1000 + i * 100));
    expect(decisions).toEqual([
      { kind: 'restart', delayMs: 100 },
      { kind: 'restart', delayMs: 200 },
      { kind: 'restart', delayMs: 400 },
      { kind: 'restart', delayMs: 800 },
      { kind: 'restart', delayMs: 1000 },
      { kind: 'restart', delayMs: 1000 },
      { kind: 'fatal', gaveUp: { exits: 7, overMs: 605, policy: 'on-failure', maxRetries: 6 } },
    ]);
  });

  it('starts over after a run that stayed up 10 s, and on reset', () => {
    const backoff = new Backoff(policy('on-failure', 5, 100, 10_000));
    backoff.afterExit(1, 5);
    backoff.afterExit(1, 5);
    expect(backoff.afterExit(1, 9_999)).toEqual({ kind: 'restart', delayMs: 400 });
    expect(backoff.afterExit(1, 10_000)).toEqual({ kind: 'restart', delayMs: 100 });
    backoff.reset();
    expect(backoff.afterExit(1, 5)).toEqual({ kind: 'restart', delayMs: 100 });
  });

  it('on-failure settles on exit 0, always restarts on it, never never restarts', () => {
    expect(new Backoff(policy('on-failure')).afterExit(0, 5)).toEqual({ kind: 'settle' });
    expect(new Backoff(policy('on-failure')).afterExit(-9, 5)).toEqual({ kind: 'restart', delayMs: 50 });
    expect(new Backoff(policy('on-failure')).afterExit(null, 0)).toEqual({ kind: 'restart', delayMs: 50 });
    expect(new Backoff(policy('always')).afterExit(0, 5)).toEqual({ kind: 'restart', delayMs: 50 });
    expect(new Backoff(policy('never')).afterExit(1, 5)).toEqual({ kind: 'settle' });
    expect(new Backoff(undefined).afterExit(1, 5)).toEqual({ kind: 'settle' });
  });
});

describe('restart policy on real children', () => {
  it('a crash loop reaches fatal after 5 restarts with growing delays, at low CPU', async () => {
    const child = make().create({ ...sh('exit 1'), restart: policy('on-failure', 5, 50, 400) });
    const exits: number[] = [];
    child.on('exit', (info: ChildInfo) => exits.push(info.exitcode!));

    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await child.start();
    expect(await child.join()).toBe(1);
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;

    const info = child.info();
    const delays = backoffDelays(info);
    console.log(
      `crash loop: delays ${JSON.stringify(delays)} ms; CPU ${cpuMs.toFixed(0)} ms over ${wallMs.toFixed(0)} ms wall`,
    );
    expect(child.state).toBe('fatal');
    expect(info.restarts).toBe(5);
    expect(exits).toEqual([1, 1, 1, 1, 1, 1]);
    const planned = [50, 100, 200, 400, 400];
    // Timers never fire early, but a loaded machine fires them late: the exact schedule is Backoff's
    // own test above, and here the bound above is only wide enough to tell a delay from a stall.
    delays.forEach((delay, i) => expect(delay).toBeGreaterThanOrEqual(planned[i]! - 2));
    delays.forEach((delay, i) => expect(delay).toBeLessThan(planned[i]! + 1000));
    expect(delays[3]!).toBeGreaterThan(delays[0]! * 4);
    // Waiting in backoff is timers, not polling: the loop costs a few spawns' worth of CPU.
    expect(cpuMs).toBeLessThan(wallMs * 0.3);
    const states = info.history.map((change) => change.state);
    expect(states.slice(0, 5)).toEqual<ChildState[]>([
      'starting',
      'running',
      'exited',
      'backoff',
      'starting',
    ]);
    expect(states.at(-1)).toBe('fatal');
    // Why it was given up on: six fast exits in a row, over the loop's wall time.
    expect(info.gaveUp).toMatchObject({ exits: 6, policy: 'on-failure', maxRetries: 5 });
    expect(info.gaveUp!.overMs).toBeGreaterThanOrEqual(1150 - 10);
    expect(info.gaveUp!.overMs).toBeLessThanOrEqual(wallMs + 10);
  });

  it('with no backoff delay, a crashed child is spawned again in the same turn as its exit', async () => {
    const child = await make().start({
      command: 'sleep',
      args: ['1000'],
      restart: policy('always', 5, 0, 0),
    });
    const first = child.pid!;
    // A microtask queued by the exit listener runs once the exit has been handled, before any timer.
    const afterExit = new Promise<ChildState>((resolve) =>
      child.on('exit', () => queueMicrotask(() => resolve(child.state))),
    );
    process.kill(first, 'SIGKILL');
    expect(await afterExit).toBe('starting');
    await new Promise<void>((resolve) =>
      child.on('state', (info: ChildInfo) => info.state === 'running' && resolve()),
    );
    expect(child.pid).not.toBe(first);
    expect(child.info().restarts).toBe(1);
  });

  it('with no backoff delay, the next run starts through a guard spawned ahead, which goes with the child', async () => {
    const supervisor = make();
    await supervisor.start({ command: 'sleep', args: ['1000'], restart: policy('always', 5, 50, 50) });
    const child = await supervisor.start({
      command: 'sleep',
      args: ['1000'],
      restart: policy('always', 5, 0, 0),
    });
    // One spare, for the child that restarts at once; the one with a backoff keeps none.
    const [spare] = await waitFor(() => spareGuards().length > 0 && spareGuards(), 2000);
    expect(spareGuards()).toEqual([spare]);
    const first = child.pid!;
    process.kill(first, 'SIGKILL');
    await new Promise<void>((resolve) =>
      child.on('state', (info: ChildInfo) => info.state === 'running' && resolve()),
    );
    expect(child.guardPid).toBe(spare);
    expect(child.pid).not.toBe(first);
    const [next] = await waitFor(() => spareGuards().length > 0 && spareGuards(), 2000);
    expect(next).not.toBe(spare);
    await child.terminate();
    await waitFor(() => !isRunning(next!), 2000);
    expect(spareGuards()).toEqual([]);
  });

  it('always restarts after exit 0 too, and stops at fatal', async () => {
    const child = await make().start({ ...sh('exit 0'), restart: policy('always', 2, 10, 20) });
    expect(await child.join()).toBe(0);
    expect(child.state).toBe('fatal');
    expect(child.info().restarts).toBe(2);
  });

  it('on-failure does not restart after exit 0', async () => {
    const child = await make().start({ ...sh('exit 0'), restart: policy('on-failure', 5, 10, 20) });
    expect(await child.join()).toBe(0);
    expect(child.state).toBe('exited');
    expect(child.info().restarts).toBe(0);
  });

  it.each(['terminate', 'kill'] as const)('an explicit %s never restarts', async (how) => {
    const child = await make().start({
      command: 'sleep',
      args: ['1000'],
      restart: policy('always', 5, 10, 20),
    });
    await child[how]();
    expect(child.exitcode).toBe(how === 'kill' ? -9 : -15);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(child.state).toBe('exited');
    expect(child.info().restarts).toBe(0);
  });

  it('terminate during backoff cancels the pending restart', async () => {
    const child = await make().start({ ...sh('exit 1'), restart: policy('on-failure', 5, 60_000, 60_000) });
    await new Promise<void>((resolve) =>
      child.on('state', (info: ChildInfo) => info.state === 'backoff' && resolve()),
    );
    expect(await child.join(0)).toBeNull();
    await child.terminate();
    expect(child.state).toBe('exited');
    expect(await child.join(0)).toBe(1);
  });

  it('restart() starts again under the same id with a new pid', async () => {
    const supervisor = make();
    const child = await supervisor.start({ command: 'sleep', args: ['1000'] });
    const firstPid = child.pid;
    await child.restart();
    expect(child.state).toBe('running');
    expect(child.id).toBe('c1');
    expect(child.pid).not.toBe(firstPid);
    expect(child.exitcode).toBeNull();
    expect(child.info().restarts).toBe(1);
    expect(supervisor.children()).toHaveLength(1);
  });
});
