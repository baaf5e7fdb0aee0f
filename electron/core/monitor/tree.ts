import type { ProcessRow } from '../../../shared/model';

/** The rows of one tick as a forest: each pid's parent (null for a root) and children. */
export interface Forest<R extends ProcessRow = ProcessRow> {
  byPid: Map<number, R>;
  parentOf: Map<number, number | null>;
  children: Map<number, number[]>;
  roots: number[];
  /** Every pid, parents before children (depth-first), roots in pid order. */
  order: number[];
}

/**
 * Builds the forest by ppid. A row is a root when its parent is missing, is itself, or started
 * after it (the pid was reused by a newer process: a parent is always older than its child), and
 * any cycle left is cut at its lowest pid so every row is reachable from exactly one root.
 */
export function buildForest<R extends ProcessRow>(rows: readonly R[]): Forest<R> {
  const byPid = new Map<number, R>();
  for (const row of rows) byPid.set(row.pid, row);

  const parentOf = new Map<number, number | null>();
  const sameTickParent = new Map<number, number>();
  for (const row of rows) {
    const parent = byPid.get(row.ppid);
    const valid = parent !== undefined && parent.pid !== row.pid && parent.startedAt <= row.startedAt;
    parentOf.set(row.pid, valid ? parent.pid : null);
    if (valid && parent.startedAt === row.startedAt) sameTickParent.set(row.pid, parent.pid);
  }
  cutCycles(parentOf, sameTickParent);

  const children = new Map<number, number[]>();
  const roots: number[] = [];
  for (const row of rows) {
    const parent = parentOf.get(row.pid) ?? null;
    if (parent === null) {
      roots.push(row.pid);
      continue;
    }
    const siblings = children.get(parent);
    if (siblings) siblings.push(row.pid);
    else children.set(parent, [row.pid]);
  }
  const byNumber = (a: number, b: number) => a - b;
  roots.sort(byNumber);
  for (const siblings of children.values()) siblings.sort(byNumber);

  const order: number[] = [];
  const stack = [...roots].reverse();
  while (stack.length > 0) {
    const pid = stack.pop()!;
    order.push(pid);
    const kids = children.get(pid);
    if (kids) for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return { byPid, parentOf, children, roots, order };
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
 * A parent never started after its child, so going round a cycle the start time can only stay the
 * same: every link of a cycle joins two processes started in the same clock tick. Only those links
 * (`sameTickParent`: child → parent) are walked, each once.
 */
function cutCycles(parentOf: Map<number, number | null>, sameTickParent: ReadonlyMap<number, number>): void {
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
    if (pid !== null && state.get(pid) === 'walking') {
      const cycle = path.slice(path.indexOf(pid));
      parentOf.set(Math.min(...cycle), null);
    }
    for (const walked of path) state.set(walked, 'done');
  }
}
