import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
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

it('looks only at the pids allocated since, adding a new process but no new thread', async () => {
  const list = new PidList();
  const threads = () => new Set(readdirSync('/proc/self/task').map(Number));
  for (let attempt = 0; attempt < 20; attempt++) {
    // Pids above any pid_max, so no process: a listing would drop them, looking at the new pids alone
    // keeps them. As many as a busy host's processes, so a few dozen forks meanwhile still pay to look at.
    const unreal = Array.from({ length: 2000 }, (_, i) => 5_000_000 + i);
    list.keep([...list.current(), ...unreal]);
    const threadsBefore = threads();
    const worker = new Worker('setInterval(() => {}, 1000)', { eval: true });
    await new Promise((resolve) => worker.once('online', resolve));
    const child = spawn('sleep', ['30']);
    started.push(child);
    const newThreads = [...threads()].filter((tid) => !threadsBefore.has(tid));
    const next = [...list.current()];
    await worker.terminate();
    // Retried when the machine forked so much meanwhile that listing /proc was the cheaper way.
    if (!next.includes(unreal[0]!)) continue;
    expect(newThreads.length).toBeGreaterThan(0);
    expect(next).toContain(child.pid);
    for (const tid of newThreads) expect(next).not.toContain(tid);
    expect(new Set(next).size).toBe(next.length);
    return;
  }
  throw new Error('the machine never stayed still enough to look at new pids alone');
});
