// A node id says what it stands for in one place: a live process, the ghost of a dead parent, or a
// supervised child that has exited.
import { describe, expect, it } from 'vitest';
import { describeNode, exitedNode, ghostNode, pidOrder } from '../../../renderer/src/tree/node-id';

describe('node ids', () => {
  it('reads back what each kind of node was made from', () => {
    expect(describeNode(4_194_303)).toEqual({ kind: 'process', pid: 4_194_303 });
    expect(describeNode(1)).toEqual({ kind: 'process', pid: 1 });
    expect(describeNode(ghostNode(1))).toEqual({ kind: 'ghost', pid: 1 });
    expect(describeNode(ghostNode(4_194_303))).toEqual({ kind: 'ghost', pid: 4_194_303 });
    expect(describeNode(exitedNode(0))).toEqual({ kind: 'exited', serial: 0 });
    expect(describeNode(exitedNode(41))).toEqual({ kind: 'exited', serial: 41 });
  });

  it('keeps a pid, the ghost of the same pid and an exited child apart', () => {
    const ids = [17, ghostNode(17), exitedNode(17)];
    expect(new Set(ids).size).toBe(3);
    expect(new Set(ids.map((id) => describeNode(id).kind))).toEqual(new Set(['process', 'ghost', 'exited']));
  });

  it('orders processes and ghosts by pid, exited children after every pid', () => {
    const ids = [exitedNode(0), 300, ghostNode(20), exitedNode(1), 4_194_303];
    expect(ids.sort((a, b) => pidOrder(a) - pidOrder(b))).toEqual([
      ghostNode(20),
      300,
      4_194_303,
      exitedNode(0),
      exitedNode(1),
    ]);
  });
});
