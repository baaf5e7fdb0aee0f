// What a terminate would hit: the target, its descendants, and which of them a group signal misses.
import type { StopPreview, TreeRow } from '../../shared/model';
import { CodedError } from '../../shared/errors';
import { buildForest, descendants } from './monitor';

export function stopPreview(rows: readonly TreeRow[], pid: number): StopPreview {
  const forest = buildForest(rows);
  const target = forest.byPid.get(pid);
  if (!target)
    throw new CodedError('E_NO_SUCH_PROCESS', `no such process: ${pid} is not in the process table`);
  const entries = [pid, ...descendants(forest, pid)].map((member) => {
    const row = forest.byPid.get(member)!;
    return {
      pid: row.pid,
      ppid: row.ppid,
      name: row.name,
      cmd: row.cmd,
      inGroup: row.pgid === target.pgid,
      detached: row.pid !== target.pid && row.pgid !== target.pgid,
      supervised: row.marks.supervised !== undefined,
      daemon: row.marks.supervised?.daemon ?? false,
    };
  });
  // Supervised children are stopped through their group (and their guard sweeps stragglers);
  // anything else gets a signal to its own pid only.
  return { pid, pgid: target.pgid, signalsGroup: target.marks.supervised !== undefined, entries };
}
