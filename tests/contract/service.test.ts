// The whole backend through its real WebSocket transport: commands reach the Supervisor and the
// Monitor, and events are pushed without polling.
import { describe, expect, it } from 'vitest';
import type { ChildInfo, Settings, StopTimelineEvent, TreeDelta } from '../../shared/model';
import { useConnectedServer } from '../support/in-process-server';

const server = useConnectedServer();

const eventsNamed = <T>(name: string): T[] =>
  server.client.events.filter((event) => event.name === name).map((event) => event.payload as T);

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('children over the contract', () => {
  it('starts sleep 30, lists it, terminates it, and join gives -15', async () => {
    const started = await server.client.call('children:start', {
      command: 'sleep',
      args: ['30'],
      name: 'napper',
    });
    expect(started).toMatchObject({ name: 'napper', state: 'running', exitcode: null, daemon: false });
    expect(started.pid).toBeGreaterThan(0);
    const listed = await server.client.call('children:list', {});
    expect(listed.map((child) => child.id)).toContain(started.id);
    expect(await server.client.call('children:join', { id: started.id, timeoutMs: 0 })).toEqual({
      exitcode: null,
    });
    const stopped = await server.client.call('children:terminate', { id: started.id, graceMs: 2000 });
    expect(stopped.exitcode).toBe(-15);
    expect(await server.client.call('children:join', { id: started.id })).toEqual({ exitcode: -15 });
    const states = eventsNamed<ChildInfo>('child:state').filter((info) => info.id === started.id);
    expect(states.map((info) => info.state)).toEqual(
      expect.arrayContaining(['running', 'stopping', 'exited']),
    );
    const timeline = eventsNamed<StopTimelineEvent>('child:stopTimeline').filter(
      (event) => event.id === started.id,
    );
    expect(timeline.map((event) => event.phase)).toEqual(['sigterm', 'exited']);
  });

  it("terminate without a grace uses the child's own graceMs from its start", async () => {
    const started = await server.client.call('children:start', {
      command: 'python3',
      args: [
        '-c',
        'import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print("ready", flush=True); time.sleep(30)',
      ],
      graceMs: 300,
    });
    await until(async () =>
      (await server.client.call('children:output', { id: started.id })).lines.length > 0 ? true : undefined,
    );
    const before = Date.now();
    const stopped = await server.client.call('children:terminate', { id: started.id });
    expect(stopped.exitcode).toBe(-9);
    expect(Date.now() - before).toBeLessThan(2500);
  });

  it('answers a missing command in words, and keeps the failed child listed', async () => {
    const result = await server.client.invoke('children:start', { command: 'no-such-command-xyz', args: [] });
    expect(result).toEqual({
      ok: false,
      error: { code: 'E_SPAWN_ENOENT', message: 'command not found: no-such-command-xyz' },
    });
    const listed = await server.client.call('children:list', {});
    expect(
      listed.some((child) => child.spec.command === 'no-such-command-xyz' && child.state === 'failed'),
    ).toBe(true);
  });

  it('pushes output lines as child:output events and pages them with children:output', async () => {
    const started = await server.client.call('children:start', {
      command: 'sh',
      args: ['-c', 'for i in 1 2 3; do echo line-$i; done; echo oops >&2'],
    });
    await server.client.call('children:join', { id: started.id, timeoutMs: 5000 });
    const pushed = await until(() => {
      const lines = eventsNamed<{ id: string; lines: { text: string }[] }>('child:output')
        .filter((event) => event.id === started.id)
        .flatMap((event) => event.lines.map((line) => line.text));
      return lines.length >= 4 ? lines : undefined;
    });
    expect(pushed).toEqual(expect.arrayContaining(['line-1', 'line-2', 'line-3', 'oops']));
    const paged = await server.client.call('children:output', { id: started.id });
    expect(paged.lines.filter((line) => line.stream === 'stderr').map((line) => line.text)).toEqual(['oops']);
    expect(paged.dropped).toBe(0);
  });

  it('answers unknown ids with E_NO_SUCH_CHILD and refuses to remove a live child', async () => {
    expect(await server.client.invoke('children:kill', { id: 'c404' })).toMatchObject({
      ok: false,
      error: { code: 'E_NO_SUCH_CHILD' },
    });
    const started = await server.client.call('children:start', { command: 'sleep', args: ['30'] });
    expect(await server.client.invoke('children:remove', { id: started.id })).toMatchObject({
      ok: false,
      error: { code: 'E_STATE' },
    });
    expect((await server.client.call('children:kill', { id: started.id })).exitcode).toBe(-9);
    expect(await server.client.call('children:remove', { id: started.id })).toEqual({ id: started.id });
  });
});

describe('processes over the contract', () => {
  it('pushes processes:delta every tick and marks the supervised child in the snapshot', async () => {
    const before = eventsNamed<TreeDelta>('processes:delta').length;
    const started = await server.client.call('children:start', {
      command: 'sleep',
      args: ['30'],
      daemon: true,
    });
    await until(
      () => (eventsNamed<TreeDelta>('processes:delta').length >= before + 2 ? true : undefined),
      5000,
    );
    const row = await until(async () =>
      (await server.client.call('processes:snapshot', {})).rows.find(
        (candidate) => candidate.pid === started.pid,
      ),
    );
    expect(row.marks.supervised).toEqual({ childId: started.id, name: started.name, daemon: true });
    await server.client.call('children:kill', { id: started.id });
  });

  it('previews a stop: the group it hits, and apart from it the one that left the group', async () => {
    const started = await server.client.call('children:start', {
      command: 'sh',
      args: ['-c', 'sleep 30 & setsid sleep 31 & wait'],
    });
    const preview = await until(async () => {
      const result = await server.client.invoke('processes:stopPreview', { pid: started.pid! });
      return result.ok && result.value.entries.length + result.value.missed.length === 3
        ? result.value
        : undefined;
    });
    expect(preview.signalsGroup).toBe(true);
    expect(preview.entries.map((entry) => entry.cmd)).toEqual([expect.stringMatching(/^sh /), 'sleep 30']);
    expect(preview.missed.map((entry) => [entry.cmd, entry.detached])).toEqual([['sleep 31', true]]);
    // A process Proctor did not start gets a signal to its own pid: that is all it hits, and its
    // descendants (this test's children among them) are listed apart as missed.
    const own = await server.client.call('processes:stopPreview', { pid: process.pid });
    expect(own.signalsGroup).toBe(false);
    expect(own.entries.map((entry) => entry.pid)).toEqual([process.pid]);
    expect(own.missed.map((entry) => entry.pid)).toContain(started.pid);
    expect(preview.entries.find((entry) => entry.pid === started.pid)).toMatchObject({
      supervised: true,
      inGroup: true,
    });
    await server.client.call('children:terminate', { id: started.id, graceMs: 1000 });
  });

  it('answers a signal to a pid that has exited with E_NO_SUCH_PROCESS in words', async () => {
    const started = await server.client.call('children:start', { command: 'true', args: [] });
    await server.client.call('children:join', { id: started.id, timeoutMs: 5000 });
    const result = await server.client.invoke('processes:signal', { pid: started.pid!, signal: 'SIGTERM' });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'E_NO_SUCH_PROCESS',
        message: `no such process: process ${started.pid} has already exited`,
      },
    });
  });

  it('applies settings: the interval reaches the monitor, and every client hears the change', async () => {
    const settings = await server.client.call('settings:set', { intervalMs: 500 });
    expect(settings.intervalMs).toBe(500);
    expect(server.running.service.monitor.stats().intervalMs).toBe(500);
    await until(() => eventsNamed<Settings>('settings:changed').find((pushed) => pushed.intervalMs === 500));
    expect(eventsNamed<Settings>('settings:changed').at(-1)).toEqual(settings);
    expect(await server.client.invoke('settings:set', { intervalMs: 5 })).toMatchObject({
      ok: false,
      error: { code: 'E_INVALID', path: 'intervalMs' },
    });
  });
});
