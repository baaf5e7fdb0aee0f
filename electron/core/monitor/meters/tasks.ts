import type { ProcessRow, TaskCounts } from '../../../../shared/model';

/** kthreadd: the parent of every kernel thread. */
const KTHREADD = 2;

/**
 * htop's task line from the tick's table: user processes, their threads beyond the main one, kernel
 * threads, and tasks of either kind running (state R) when sampled.
 */
export function countTasks(rows: readonly ProcessRow[]): TaskCounts {
  const counts: TaskCounts = { processes: 0, threads: 0, kernelThreads: 0, running: 0 };
  for (const row of rows) {
    if (row.state === 'R') counts.running++;
    if (row.pid === KTHREADD || row.ppid === KTHREADD) {
      counts.kernelThreads++;
      continue;
    }
    counts.processes++;
    counts.threads += Math.max(0, row.threads - 1);
  }
  return counts;
}
