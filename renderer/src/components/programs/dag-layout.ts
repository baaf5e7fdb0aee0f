// Where the dependency graph's boxes go: a program in the column after everything it depends on (the
// longest path decides), and within a column in the order of what it hangs from, so edges cross less.
import type { ProgramCondition } from '../../../../shared/model';

export interface DagInput {
  name: string;
  dependsOn: ReadonlyArray<{ name: string; condition: ProgramCondition }>;
}

export interface DagNode {
  name: string;
  column: number;
  x: number;
  y: number;
}

export interface DagEdge {
  /** What is waited for. */
  from: string;
  /** Who waits. */
  to: string;
  condition: ProgramCondition;
  path: string;
  labelX: number;
  labelY: number;
}

export interface DagLayout {
  nodes: DagNode[];
  edges: DagEdge[];
  width: number;
  height: number;
}

export const NODE_W = 168;
export const NODE_H = 46;
const COLUMN_GAP = 120;
const ROW_GAP = 14;
const MARGIN = 12;
/** A condition's label line, so two labels never overlap. */
const LABEL_H = 13;

function columnsOf(programs: readonly DagInput[]): Map<string, number> {
  const byName = new Map(programs.map((p) => [p.name, p]));
  const column = new Map<string, number>();
  const visiting = new Set<string>();
  const columnOf = (name: string): number => {
    const known = column.get(name);
    if (known !== undefined) return known;
    // A loaded stack has no cycle; a guard all the same, so a bad list cannot hang the window.
    if (visiting.has(name)) return 0;
    visiting.add(name);
    const deps = byName.get(name)!.dependsOn.filter((d) => byName.has(d.name));
    const own = deps.length === 0 ? 0 : Math.max(...deps.map((d) => columnOf(d.name))) + 1;
    visiting.delete(name);
    column.set(name, own);
    return own;
  };
  for (const p of programs) columnOf(p.name);
  return column;
}

/** Labels in the same gap that would overlap (edges meeting at one box) are pushed apart, top to bottom. */
function spreadLabels(edges: DagEdge[]): void {
  const byGap = new Map<number, DagEdge[]>();
  for (const edge of edges) {
    // The column of the box the edge ends at: its label sits in the gap before it.
    const gap = Math.round((edge.labelX + COLUMN_GAP / 2 - MARGIN) / (NODE_W + COLUMN_GAP));
    byGap.set(gap, [...(byGap.get(gap) ?? []), edge]);
  }
  for (const inGap of byGap.values()) {
    inGap.sort((a, b) => a.labelY - b.labelY);
    for (let i = 1; i < inGap.length; i++) {
      const floor = inGap[i - 1]!.labelY + LABEL_H;
      if (inGap[i]!.labelY < floor) inGap[i]!.labelY = floor;
    }
  }
}

export function layoutDag(programs: readonly DagInput[]): DagLayout {
  const column = columnsOf(programs);
  const columns: DagInput[][] = [];
  for (const p of programs) (columns[column.get(p.name)!] ??= []).push(p);

  // Each column sorted by the mean row of what its programs depend on (the file's order breaks ties).
  const row = new Map<string, number>();
  columns.forEach((members, c) => {
    const keyed = members.map((p, i) => {
      const rows = p.dependsOn.map((d) => row.get(d.name)).filter((r): r is number => r !== undefined);
      const mean = rows.length === 0 ? i : rows.reduce((a, b) => a + b, 0) / rows.length;
      return { p, key: c === 0 ? i : mean, i };
    });
    keyed.sort((a, b) => a.key - b.key || a.i - b.i);
    keyed.forEach(({ p }, r) => row.set(p.name, r));
    columns[c] = keyed.map(({ p }) => p);
  });

  const tallest = Math.max(0, ...columns.map((members) => members.length));
  const height = MARGIN * 2 + tallest * NODE_H + Math.max(0, tallest - 1) * ROW_GAP;
  const nodes: DagNode[] = [];
  const place = new Map<string, DagNode>();
  columns.forEach((members, c) => {
    // A short column is centred against the tallest.
    const own = members.length * NODE_H + Math.max(0, members.length - 1) * ROW_GAP;
    const top = (height - own) / 2;
    members.forEach((p, r) => {
      const node = {
        name: p.name,
        column: c,
        x: MARGIN + c * (NODE_W + COLUMN_GAP),
        y: top + r * (NODE_H + ROW_GAP),
      };
      nodes.push(node);
      place.set(p.name, node);
    });
  });

  const edges: DagEdge[] = [];
  for (const p of programs) {
    const to = place.get(p.name)!;
    for (const dep of p.dependsOn) {
      const from = place.get(dep.name);
      if (!from) continue;
      const x1 = from.x + NODE_W;
      const y1 = from.y + NODE_H / 2;
      const x2 = to.x;
      const y2 = to.y + NODE_H / 2;
      const bend = Math.max(40, (x2 - x1) / 2);
      // The label sits on the curve in the gap just before the box that waits: it reads as that box's condition.
      const t = 1 - COLUMN_GAP / 2 / (x2 - x1);
      const u = 1 - t;
      const labelX = u ** 3 * x1 + 3 * u * u * t * (x1 + bend) + 3 * u * t * t * (x2 - bend) + t ** 3 * x2;
      const labelY = y1 + (y2 - y1) * (3 * t * t - 2 * t ** 3);
      edges.push({
        from: dep.name,
        to: p.name,
        condition: dep.condition,
        path: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`,
        labelX,
        labelY,
      });
    }
  }
  spreadLabels(edges);
  const width = MARGIN * 2 + columns.length * NODE_W + Math.max(0, columns.length - 1) * COLUMN_GAP;
  return { nodes, edges, width, height };
}
