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

/** A curve across one gap between columns, level where it leaves and where it arrives. */
function curveTo(from: { x: number; y: number }, to: { x: number; y: number }): string {
  const bend = (to.x - from.x) / 2;
  return ` C${from.x + bend},${from.y} ${to.x - bend},${to.y} ${to.x},${to.y}`;
}

/** The height nearest `wanted` at which a line crosses a column without touching its boxes. */
function laneY(boxes: readonly DagNode[], wanted: number): number {
  const clear = ROW_GAP / 2;
  const blocked = (y: number): boolean =>
    boxes.some((box) => y > box.y - clear && y < box.y + NODE_H + clear);
  if (!blocked(wanted)) return wanted;
  // The free lanes: above each box and below each, mid-gap between neighbours.
  const lanes = boxes.flatMap((box) => [box.y - clear, box.y + NODE_H + clear]);
  return lanes.reduce((best, y) => (Math.abs(y - wanted) < Math.abs(best - wanted) ? y : best));
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

  const byColumn = columns.map((members) => members.map((p) => place.get(p.name)!));
  const edges: DagEdge[] = [];
  for (const p of programs) {
    const to = place.get(p.name)!;
    for (const dep of p.dependsOn) {
      const from = place.get(dep.name);
      if (!from) continue;
      const start = { x: from.x + NODE_W, y: from.y + NODE_H / 2 };
      const end = { x: to.x, y: to.y + NODE_H / 2 };
      // An edge that skips columns crosses each in a free lane, never through a box there.
      let path = `M${start.x},${start.y}`;
      let last = start;
      for (let c = from.column + 1; c < to.column; c++) {
        const x = MARGIN + c * (NODE_W + COLUMN_GAP);
        const wanted = start.y + ((end.y - start.y) * (x - start.x)) / (end.x - start.x);
        const y = laneY(byColumn[c] ?? [], wanted);
        path += `${curveTo(last, { x, y })} L${x + NODE_W},${y}`;
        last = { x: x + NODE_W, y };
      }
      path += curveTo(last, end);
      // The label sits mid-gap before the box that waits: it reads as that box's condition.
      edges.push({
        from: dep.name,
        to: p.name,
        condition: dep.condition,
        path,
        labelX: (last.x + end.x) / 2,
        labelY: (last.y + end.y) / 2,
      });
    }
  }
  spreadLabels(edges);
  const width = MARGIN * 2 + columns.length * NODE_W + Math.max(0, columns.length - 1) * COLUMN_GAP;
  return { nodes, edges, width, height };
}
