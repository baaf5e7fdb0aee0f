// Places a family graph for the SVG view: levels by parent edges, each level wrapped into rows of at
// most `cols` nodes, IPC edges grouped per pair so parallel pipes read as one labelled line.
import type { FamilyEdge, FamilyGraph, FamilyNode } from '../../../../shared/model';

export const NODE_W = 118;
export const NODE_H = 36;
const GAP_X = 16;
export const GAP_Y = 46;
const PAD = 14;
/** Left of every box: where parent edges run down to wrapped rows. */
export const GUTTER_X = PAD / 2;

export interface PlacedNode extends FamilyNode {
  x: number;
  y: number;
  zombie: boolean;
  /** Hangs under a ghost: its parent died and it was adopted. */
  orphan: boolean;
}

export interface IpcLink {
  key: string;
  kind: 'pipe' | 'socket';
  a: number;
  b: number;
  /** Data flows a→b (and/or b→a) where fdinfo told the direction. */
  toB: boolean;
  toA: boolean;
  labels: string[];
}

export interface Layout {
  width: number;
  height: number;
  nodes: Map<number, PlacedNode>;
  parents: FamilyEdge[];
  links: IpcLink[];
}

export function layoutFamily(graph: FamilyGraph, cols: number): Layout {
  const byPid = new Map(graph.nodes.map((node) => [node.pid, node]));
  const parents = graph.edges.filter((e) => e.kind === 'parent' && byPid.has(e.from) && byPid.has(e.to));
  const parentOf = new Map(parents.map((e) => [e.to, e.from]));
  const kids = new Map<number, number[]>();
  for (const e of parents) kids.set(e.from, [...(kids.get(e.from) ?? []), e.to]);

  // Depth-first from the roots, so siblings stay together and under their parent's order.
  const levels: number[][] = [];
  const visit = (pid: number, depth: number, seen: Set<number>): void => {
    if (seen.has(pid)) return;
    seen.add(pid);
    (levels[depth] ??= []).push(pid);
    for (const kid of (kids.get(pid) ?? []).sort((a, b) => a - b)) visit(kid, depth + 1, seen);
  };
  const seen = new Set<number>();
  const roots = graph.nodes.filter((n) => !parentOf.has(n.pid)).map((n) => n.pid);
  for (const root of roots.sort((a, b) => a - b)) visit(root, 0, seen);

  const nodes = new Map<number, PlacedNode>();
  let y = PAD;
  let widest = 0;
  for (const level of levels) {
    for (let row = 0; row * cols < level.length; row++) {
      const slice = level.slice(row * cols, (row + 1) * cols);
      slice.forEach((pid, i) => {
        const node = byPid.get(pid)!;
        const parent = parentOf.get(pid);
        nodes.set(pid, {
          ...node,
          x: PAD + i * (NODE_W + GAP_X),
          y,
          zombie: node.state === 'Z',
          orphan: parent !== undefined && byPid.get(parent)?.ghost === true,
        });
      });
      widest = Math.max(widest, slice.length);
      y += NODE_H + GAP_Y;
    }
  }
  return {
    width: PAD * 2 + Math.max(1, widest) * (NODE_W + GAP_X) - GAP_X,
    height: y - GAP_Y + PAD,
    nodes,
    parents,
    links: groupLinks(graph.edges, nodes),
  };
}

function groupLinks(edges: readonly FamilyEdge[], nodes: Map<number, PlacedNode>): IpcLink[] {
  const links = new Map<string, IpcLink>();
  for (const e of edges) {
    if (e.kind === 'parent' || !nodes.has(e.from) || !nodes.has(e.to)) continue;
    const [a, b] = e.from < e.to ? [e.from, e.to] : [e.to, e.from];
    const key = `${e.kind}:${a}:${b}`;
    const link = links.get(key) ?? { key, kind: e.kind, a, b, toB: false, toA: false, labels: [] };
    if (e.directed) {
      if (e.from === a) link.toB = true;
      else link.toA = true;
    }
    link.labels.push(...(e.label?.split(' ') ?? []));
    links.set(key, link);
  }
  return [...links.values()];
}
