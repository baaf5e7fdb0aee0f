// What a terminate would hit: the target, its descendants, and which of them a group signal misses.
import type { StopPreview, TreeRow } from '../../shared/model';
import { CodedError } from '../../shared/errors';

export function stopPreview(rows: readonly TreeRow[], pid: number): StopPreview {
  const byPid = new Map(rows.map((row) => [row.pid, row]));
  const target = byPid.get(pid);
  if (!target)
    throw new CodedError('E_NO_SUCH_PROCESS', `no such process: ${pid} is not in the process table`);
  const children = new Map<number, TreeRow[]>();
  for (const row of rows) {
    if (row.pid === row.ppid) continue;
    const siblings = children.get(row.ppid);
    if (siblings) siblings.push(row);
    else children.set(row.ppid, [row]);
  }
  const entries: StopPreview['entries'] = [];
  const seen = new Set<number>();
  const visit = (row: TreeRow): void => {
    if (seen.has(row.pid)) return;
    seen.add(row.pid);
    entries.push({
      pid: row.pid,
      ppid: row.ppid,
      name: row.name,
      cmd: row.cmd,
      inGroup: row.pgid === target.pgid,
      detached: row.pid !== target.pid && row.pgid !== target.pgid,
      supervised: row.marks.supervised !== undefined,
      daemon: row.marks.supervised?.daemon ?? false,
    });
    for (const child of children.get(row.pid) ?? []) visit(child);
  };
  visit(target);
  // Supervised children are stopped through their group (and their guard sweeps stragglers);
  // anything else gets a signal to its own pid only.
  return { pid, pgid: target.pgid, signalsGroup: target.marks.supervised !== undefined, entries };
}
