import { describe, expect, it } from 'vitest';
import type { ProcessRow, TreeRow } from '../../../shared/model';
import { buildForest, type SupervisedInfo } from '../../../electron/core/monitor';
import { Classifier } from '../../../electron/core/monitor/classify';
import { row } from './helpers';

const child: SupervisedInfo = { childId: 'c1', name: 'worker', daemon: true, pid: 20, guardPid: 10 };

function run(classifier: Classifier, rows: ProcessRow[], at = 1, supervised = [child]) {
  const out = classifier.classify(buildForest(rows), supervised, at);
  return { ...out, marks: new Map(out.forest.order.map((r) => [r.pid, r.marks])) };
}

// init → app (5) → guard (10) → supervised child (20) → 30 → 40
const family = () => [row(1, 0), row(5, 1), row(10, 5), row(20, 10), row(30, 20), row(40, 30)];

describe('Classifier', () => {
  it('marks the supervised child, folds its guard, and marks every descendant as family', () => {
    const { marks } = run(new Classifier(), [...family(), row(50, 1, { state: 'Z' })]);
    expect(marks.get(20)).toEqual({ supervised: { childId: 'c1', name: 'worker', daemon: true } });
    expect(marks.get(10)).toEqual({ guard: true });
    expect(marks.get(30)).toEqual({ family: 'c1' });
    expect(marks.get(40)).toEqual({ family: 'c1' });
    expect(marks.get(5)).toEqual({});
    expect(marks.get(50)).toEqual({ zombie: true });
  });

  it('before the guard reports the pid, folds the guard and marks its one child as the program', () => {
    const starting = { ...child, pid: null };
    const { marks } = run(new Classifier(), family(), 1, [starting]);
    expect(marks.get(10)).toEqual({ guard: true });
    expect(marks.get(20)).toEqual({ supervised: { childId: 'c1', name: 'worker', daemon: true } });
    expect(marks.get(30)).toEqual({ family: 'c1' });

    // Two children under a guard that has not reported: which one is the program is not known.
    const twoKids = run(new Classifier(), [...family(), row(21, 10)], 1, [starting]).marks;
    expect(twoKids.get(20)).toEqual({ family: 'c1' });
    expect(twoKids.get(21)).toEqual({ family: 'c1' });
  });

  it('marks an orphan re-parented to the guard with a ghost of its dead parent, then drops the ghost', () => {
    const classifier = new Classifier();
    run(classifier, family(), 1);
    const orphaned = [row(1, 0), row(5, 1), row(10, 5), row(20, 10), row(40, 10)];
    const second = run(classifier, orphaned, 2);
    expect(second.marks.get(40)).toEqual({ family: 'c1', orphan: { ghostPid: 30 } });
    expect(second.ghosts).toEqual([{ pid: 30, ppid: 20, name: 'p30', cmd: 'p30 --arg', diedAt: 2 }]);

    // The mark and ghost stay while the orphan lives, and go with it.
    expect(run(classifier, orphaned, 3).ghosts).toHaveLength(1);
    const gone = run(classifier, orphaned.slice(0, 4), 4);
    expect(gone.ghosts).toEqual([]);
  });

  it('calls a member orphan while its dead parent is still an unreaped zombie', () => {
    const classifier = new Classifier();
    run(classifier, family(), 1);
    // The kernel re-parents the children as the parent exits, before anyone reaps the parent.
    const zombieParent = [
      row(1, 0),
      row(5, 1),
      row(10, 5),
      row(20, 10),
      row(30, 20, { state: 'Z' }),
      row(40, 10),
    ];
    const marks = run(classifier, zombieParent, 2).marks;
    expect(marks.get(40)).toEqual({ family: 'c1', orphan: { ghostPid: 30 } });
  });

  it('keeps a member re-parented to init in its family, but not a newer process on its pid', () => {
    const classifier = new Classifier();
    run(classifier, family(), 1);
    const reparented = run(classifier, [row(1, 0), row(5, 1), row(10, 5), row(20, 10), row(40, 1)], 2);
    expect(reparented.marks.get(40)).toEqual({ family: 'c1', orphan: { ghostPid: 30 } });

    const reused = run(
      classifier,
      [row(1, 0), row(5, 1), row(10, 5), row(20, 10), row(40, 1, { startedAt: 9e3 })],
      3,
    );
    expect(reused.marks.get(40)).toEqual({});
    expect(reused.ghosts).toEqual([]);
  });

  it('does not call a process orphan when only an unrelated process died', () => {
    const classifier = new Classifier();
    run(classifier, [...family(), row(60, 5)], 1);
    const { marks, ghosts } = run(classifier, family(), 2);
    expect([...marks.values()].some((m) => m.orphan)).toBe(false);
    expect(ghosts).toEqual([]);
  });

  it('keeps a row given again while its marks hold, and marks a copy of it when they change', () => {
    const classifier = new Classifier();
    const rows = family();
    const [, , , program, member] = rows as [ProcessRow, ProcessRow, ProcessRow, TreeRow, TreeRow];
    run(classifier, rows);
    const again = run(classifier, rows);
    expect(again.forest.byPid.get(20)).toBe(program);
    expect(again.forest.byPid.get(30)).toBe(member);
    // No longer supervised: the program's marks change, its family's stay (remembered).
    const after = run(classifier, rows, 2, []);
    const copy = after.forest.byPid.get(20)!;
    expect(copy).not.toBe(program);
    expect(copy).toEqual({ ...program, marks: {} });
    expect(after.forest.order).toContain(copy);
    expect(program.marks).toEqual({ supervised: { childId: 'c1', name: 'worker', daemon: true } });
    expect(after.forest.byPid.get(30)).toBe(member);
  });

  it('keeps at most its cap of ghosts, the newest', () => {
    const classifier = new Classifier(2);
    const parents = [31, 32, 33];
    run(classifier, [...family(), ...parents.flatMap((p) => [row(p, 20), row(p + 100, p)])], 1);
    const { ghosts } = run(classifier, [...family(), ...parents.map((p) => row(p + 100, 10))], 2);
    expect(ghosts.map((g) => g.pid)).toEqual([32, 33]);
  });
});
