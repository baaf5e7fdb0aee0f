// Real Python runs under the service, one per start method: four owners each share one object (a Lock,
// a Value, a shared_memory block, a Queue) with two workers of their own, and the run's family graph
// must name each object's kind and draw it between exactly its owner and its workers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OWN_SCRIPT_ID, type SharedObjectKind } from '../../../shared/model';
import { call, lessonService } from './helpers';

const SCRIPT = readFileSync(join(__dirname, 'fixtures', 'shared_objects.py'), 'utf8');
const KINDS: Record<string, SharedObjectKind> = {
  lock: 'lock',
  value: 'value',
  shm: 'shared-memory',
  queue: 'queue',
};

describe('shared objects in the family view', () => {
  const service = lessonService();

  for (const method of ['fork', 'spawn', 'forkserver'] as const) {
    it(`recognises a Lock, a Value, a shared_memory block and a Queue between their holders (${method})`, async () => {
      const code = SCRIPT.replace('METHOD = "fork"', `METHOD = "${method}"`);
      const run = await call(service(), 'lessons:run', { id: OWN_SCRIPT_ID, code });
      expect(run.checks.map((c) => [c.label.en, c.passed, c.observed.en])).toEqual([
        ['The program exited with 0', true, 'exitcode 0'],
      ]);
      const { lines } = await call(service(), 'children:output', { id: run.childId! });
      const claimed = new Map<string, number[]>();
      for (const line of lines) {
        if (!line.text.startsWith('PROCTOR ')) continue;
        const claim = JSON.parse(line.text.slice(8)) as { event: string; kind?: string; pids?: number[] };
        if (claim.event === 'holders') claimed.set(claim.kind!, claim.pids!);
      }
      expect([...claimed.keys()].sort()).toEqual(['lock', 'queue', 'shm', 'value']);

      const graph = await call(service(), 'family:graph', { id: run.childId! });
      const groups = [...claimed.values()];
      for (const [name, holders] of claimed) {
        const kind = KINDS[name]!;
        const found = graph.objects.filter(
          (o) => o.kind === kind && JSON.stringify(o.holders) === JSON.stringify(holders),
        );
        expect(
          found,
          `${method}: one ${kind} held by ${holders.join(',')}: ${JSON.stringify(graph.objects)}`,
        ).toHaveLength(1);
        if (kind === 'queue') expect(found[0]!.parts!.length).toBeGreaterThanOrEqual(1);
      }
      // Nothing is drawn across groups: every object's holders are one owner's group (a Value's own
      // lock is a semaphore of its group), and no Lock is shared outside the Lock's group.
      for (const object of graph.objects) {
        expect(
          groups.some((group) => object.holders.every((pid) => group.includes(pid))),
          `${method}: ${JSON.stringify(object)} stays inside one group`,
        ).toBe(true);
      }
      const locks = graph.objects.filter((o) => o.kind === 'lock');
      expect(
        locks.filter((o) => JSON.stringify(o.holders) === JSON.stringify(claimed.get('lock'))),
      ).toHaveLength(1);
      // Every worker has its multiprocessing part named, as the monitor's mp-role reader names it.
      const workers = groups.flatMap((group) => group.slice(1));
      const role = method === 'fork' ? 'fork-child' : method === 'spawn' ? 'spawn-child' : 'forkserver-child';
      expect(Object.fromEntries(workers.map((pid) => [pid, graph.roles[pid]]))).toEqual(
        Object.fromEntries(workers.map((pid) => [pid, role])),
      );
    }, 90_000);
  }
});
