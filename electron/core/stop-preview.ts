// What a terminate would hit: the target and the descendants its signal reaches, and apart from them
// the descendants it misses (a single pid's children, or those that left a signalled group).
import type { StopPreview, TreeRow } from '../../shared/model';
import { CodedError } from '../../shared/errors';
import { buildForest, descendants } from './monitor';

export function stopPreview(rows: readonly TreeRow[], pid: number): StopPreview {
  const forest = buildForest(rows);
  const target = forest.byPid.get(pid);
  if (!target)
    throw new CodedError('E_NO_SUCH_PROCESS', `no such process: ${pid} is not in the process table`);
  // Supervised children are stopped through their group (and their guard sweeps stragglers);
  // anything else gets a signal to its own pid only.
  const signalsGroup = target.marks.supervised !== undefined;
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
  const reached = (entry: (typeof entries)[number]): boolean =>
    entry.pid === pid || (signalsGroup && entry.inGroup);
  return {
    pid,
    pgid: target.pgid,
    signalsGroup,
    entries: entries.filter(reached),
    missed: entries.filter((entry) => !reached(entry)),
  };
}
