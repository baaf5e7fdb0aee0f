import type { ProcessRow } from '../../../shared/model';

/** The rows of one tick as a forest: each pid's children, the roots, and every row in tree order. */
export interface Forest<R extends ProcessRow = ProcessRow> {
  byPid: Map<number, R>;
  children: Map<number, number[]>;
  roots: number[];
  /** Every row, parents before children (depth-first), roots in pid order. */
  order: R[];
}

/** A parent pid in `parents` for a row that has none. */
const ROOT = -1;

/**
 * Builds the forest by ppid. A row is a root when its parent is missing, is itself, or started
 * after it (the pid was reused by a newer process: a parent is always older than its child), and
 * any cycle left is cut at its lowest pid so every row is reachable from exactly one root.
 */
export function buildForest<R extends ProcessRow>(rows: readonly R[]): Forest<R> {
  const byPid = new Map<number, R>();
  for (const row of rows) byPid.set(row.pid, row);

  // Each row's parent by the row's index: an array, not a second map of every pid built each tick.
  const parents = new Int32Array(rows.length);
  const sameTickParent = new Map<number, number>();
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const parent = byPid.get(row.ppid);
    const valid = parent !== undefined && parent.pid !== row.pid && parent.startedAt <= row.startedAt;
    parents[i] = valid ? parent.pid : ROOT;
    if (valid && parent.startedAt === row.startedAt) sameTickParent.set(row.pid, parent.pid);
  }
  const cut = cutCycles(sameTickParent);

  const children = new Map<number, number[]>();
  const roots: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const pid = rows[i]!.pid;
    const parent = parents[i]!;
    if (parent === ROOT || cut.has(pid)) {
      roots.push(pid);
      continue;
    }
    const siblings = children.get(parent);
    if (siblings) siblings.push(pid);
    else children.set(parent, [pid]);
  }
  const byNumber = (a: number, b: number) => a - b;
  roots.sort(byNumber);
  for (const siblings of children.values()) siblings.sort(byNumber);

  const order: R[] = [];
  const stack: number[] = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push(roots[i]!);
  while (stack.length > 0) {
    const pid = stack.pop()!;
    order.push(byPid.get(pid)!);
    const kids = children.get(pid);
    if (kids) for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return { byPid, children, roots, order };
}

/** Every descendant of `pid` in the forest (not `pid` itself). */
export function descendants(forest: Forest, pid: number): number[] {
  const found: number[] = [];
  const stack = [...(forest.children.get(pid) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop()!;
    found.push(next);
    const kids = forest.children.get(next);
    if (kids) stack.push(...kids);
  }
  return found;
}

/**
 * The pids whose link to their parent is cut, one a cycle. A parent never started after its child, so
 * going round a cycle the start time can only stay the same: every link of a cycle joins two processes
 * started in the same clock tick. Only those links (`sameTickParent`: child → parent) are walked, each once.
 */
function cutCycles(sameTickParent: ReadonlyMap<number, number>): Set<number> {
  const cut = new Set<number>();
  const state = new Map<number, 'walking' | 'done'>();
  const path: number[] = [];
  for (const start of sameTickParent.keys()) {
    path.length = 0;
    let pid: number | null = start;
    while (pid !== null && !state.has(pid)) {
      state.set(pid, 'walking');
      path.push(pid);
      pid = sameTickParent.get(pid) ?? null;
    }
    if (pid !== null && state.get(pid) === 'walking') cut.add(Math.min(...path.slice(path.indexOf(pid))));
    for (const walked of path) state.set(walked, 'done');
  }
  return cut;
}
