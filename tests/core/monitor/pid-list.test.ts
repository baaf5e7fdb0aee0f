import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { PidList } from '../../../electron/core/monitor/pid-list';

const lastPid = () => Number(readFileSync('/proc/loadavg', 'latin1').trim().split(' ')[4]);
const started: Array<{ kill(): boolean }> = [];
afterEach(() => started.splice(0).forEach((child) => child.kill()));

it('lists a process forked since the last listing', () => {
  const list = new PidList();
  const before = list.current();
  const child = spawn('sleep', ['30']);
  started.push(child);
  expect(before).not.toContain(child.pid);
  expect(list.current()).toContain(child.pid);
});

it('reuses the kept pids while no pid has been allocated, and lists /proc again once one is', () => {
  const list = new PidList();
  // Retried: on a busy machine another process may fork between the two calls.
  for (let attempt = 0; attempt < 20; attempt++) {
    // The mark is taken first: a fork between it and the first listing moves the pid, and the attempt
    // is retried instead of failing on a listing that rightly read /proc again.
    const mark = lastPid();
    list.current();
    list.keep([1, 424242]);
    const reused = list.current();
    if (lastPid() !== mark) continue;
    expect(reused).toEqual([1, 424242]);
    spawn('true');
    expect(list.current()).not.toContain(424242);
    return;
  }
  throw new Error('the machine never stayed still between two calls');
});

it('lists /proc again once a process has exited and been reaped, though no pid was allocated', async () => {
  for (let attempt = 0; attempt < 20; attempt++) {
    const child = spawn('sleep', ['30']);
    started.push(child);
    await once(child, 'spawn');
    const list = new PidList();
    list.current();
    list.keep([1, 424242]);
    const mark = lastPid();
    child.kill('SIGKILL');
    // Node reaps it: the count of threads falls, and no pid is allocated for that.
    await once(child, 'exit');
    const listed = list.current();
    if (lastPid() !== mark) continue;
    expect(listed).not.toContain(424242);
    return;
  }
  throw new Error('the machine never stayed still between two calls');
});
