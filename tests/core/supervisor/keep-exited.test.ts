// Exited and failed children are kept only up to the caps: the last N of each name and M in all, the
// oldest dropped first and announced; running and backing-off children are never dropped.
import { describe, expect, it } from 'vitest';
import type { PrunedChild } from '../../../shared/model';
import type { Supervisor } from '../../../electron/core/supervisor';
import { sh, supervisors } from './helpers';

const make = supervisors();

function watchPruned(supervisor: Supervisor): { pruned: PrunedChild[]; removed: string[] } {
  const seen = { pruned: [] as PrunedChild[], removed: [] as string[] };
  supervisor.on('pruned', (drop: PrunedChild) => seen.pruned.push(drop));
  supervisor.on('removed', (id: string) => seen.removed.push(id));
  return seen;
}

async function runToEnd(supervisor: Supervisor, name: string, script = 'exit 0'): Promise<string> {
  const child = await supervisor.start({ ...sh(script), name });
  await child.join();
  // The cap is applied once the exit has been handled, on the next microtask.
  await Promise.resolve();
  return child.id;
}

describe('keeping exited children', () => {
  it('keeps the last N of each name, dropping and announcing the oldest', async () => {
    const supervisor = make({ keepExited: { perName: 3, total: 100 } });
    const seen = watchPruned(supervisor);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await runToEnd(supervisor, 'again'));
    const failed = await supervisor.start({ command: 'proctor-no-such-command', args: [], name: 'again' });
    await Promise.resolve();
    expect(supervisor.children().map((child) => child.id)).toEqual([...ids.slice(4), failed.id]);
    expect(seen.pruned).toEqual(ids.slice(0, 4).map((id) => ({ id, name: 'again', keep: 3, scope: 'name' })));
    expect(seen.removed).toEqual(ids.slice(0, 4));
  });

  it('keeps M in all across names, and never drops a running or backing-off child', async () => {
    const supervisor = make({ keepExited: { perName: 10, total: 3 } });
    const seen = watchPruned(supervisor);
    const running = await supervisor.start({ ...sh('exec sleep 30'), name: 'runner' });
    const backingOff = await supervisor.start({
      ...sh('exit 1'),
      name: 'crasher',
      restart: { policy: 'always', maxRetries: 100, backoffMs: 60_000, maxBackoffMs: 60_000 },
    });
    const ids: string[] = [];
    for (const name of ['a', 'b', 'c', 'd', 'e']) ids.push(await runToEnd(supervisor, name, 'exit 3'));
    expect(backingOff.state).toBe('backoff');
    expect(supervisor.children().map((child) => child.id)).toEqual([
      running.id,
      backingOff.id,
      ...ids.slice(2),
    ]);
    expect(seen.pruned.map((drop) => [drop.id, drop.scope, drop.keep])).toEqual([
      [ids[0], 'all', 3],
      [ids[1], 'all', 3],
    ]);
    await backingOff.terminate();
  });

  it('applies a lowered cap at once', async () => {
    const supervisor = make({ keepExited: { perName: 10, total: 10 } });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await runToEnd(supervisor, 'x'));
    supervisor.setKeepExited({ perName: 1, total: 10 });
    expect(supervisor.children().map((child) => child.id)).toEqual([ids[3]]);
  });

  it('stays at the cap over 30 starts of the same command', async () => {
    const supervisor = make({ keepExited: { perName: 5, total: 50 } });
    for (let i = 0; i < 30; i++) await runToEnd(supervisor, 'many');
    expect(supervisor.children()).toHaveLength(5);
  }, 90_000);
});
