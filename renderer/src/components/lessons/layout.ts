// Places a family graph for the SVG view: levels by parent edges, each level wrapped into rows of at
// most `cols` nodes, IPC edges grouped per pair so parallel pipes read as one labelled line, and each
// line given a route that keeps a big family readable.
import type { FamilyEdge, FamilyGraph, FamilyNode, SharedObject } from '../../../../shared/model';

export const NODE_W = 118;
const NODE_H = 36;
/** A third line in every box, when a box has marks and words that stand for a hub's links. */
const HUB_LINE_H = 12;
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

/**
 * How an IPC link is drawn. `tree`: between a parent and its own child, along their parent edge.
 * `hub`: one end is a hub, so the link is told in words on both ends and drawn only while pointed at.
 * `free`: a line of its own.
 */
export type LinkRoute = 'tree' | 'hub' | 'free';

/**
 * A process with this many IPC links beyond its parent and children (a Manager's server with its
 * clients) is a hub: drawn out, its links would cross the whole view.
 */
export const HUB_LINKS = 4;

export interface IpcLink {
  key: string;
  kind: 'pipe' | 'socket';
  route: LinkRoute;
  /** The hub end of a `hub` link; the parent end of a `tree` link. */
  anchor?: number;
  a: number;
  b: number;
  /** Data flows a→b (and/or b→a) where fdinfo told the direction. */
  toB: boolean;
  toA: boolean;
  labels: string[];
}

/** A shared object's box: a row of its own below the processes, two process boxes wide for its words. */
export const OBJECT_W = 2 * NODE_W + 16;
export const OBJECT_H = 32;

export interface PlacedObject extends SharedObject {
  x: number;
  y: number;
}

export interface Layout {
  width: number;
  height: number;
  /** Every box's height: taller when a marked box also tells a hub's links in words. */
  nodeH: number;
  nodes: Map<number, PlacedNode>;
  parents: FamilyEdge[];
  links: IpcLink[];
  /** Shared objects held by processes in the view, under all the process rows. */
  objects: PlacedObject[];
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

  const links = routeLinks(groupLinks(graph.edges, byPid), parentOf);
  const orphan = (pid: number): boolean => byPid.get(parentOf.get(pid) ?? NaN)?.ghost === true;
  const marked = (node: FamilyNode): boolean => node.ghost === true || node.state === 'Z' || orphan(node.pid);
  const hubbed = new Set(links.filter((link) => link.route === 'hub').flatMap((link) => [link.a, link.b]));
  const crowded = graph.nodes.some((node) => hubbed.has(node.pid) && marked(node));
  const nodeH = NODE_H + (crowded ? HUB_LINE_H : 0);
  const nodes = new Map<number, PlacedNode>();
  let y = PAD;
  let widest = 0;
  for (const level of levels) {
    for (let row = 0; row * cols < level.length; row++) {
      const slice = level.slice(row * cols, (row + 1) * cols);
      slice.forEach((pid, i) => {
        const node = byPid.get(pid)!;
        nodes.set(pid, {
          ...node,
          x: PAD + i * (NODE_W + GAP_X),
          y,
          zombie: node.state === 'Z',
          orphan: orphan(pid),
        });
      });
      widest = Math.max(widest, slice.length);
      y += nodeH + GAP_Y;
    }
  }
  const placed: PlacedObject[] = [];
  const perRow = Math.max(1, Math.floor((cols * (NODE_W + GAP_X) + GAP_X) / (OBJECT_W + GAP_X)));
  const shown = graph.objects.filter((o) => o.holders.some((pid) => nodes.has(pid)));
  shown.forEach((object, i) => {
    const column = i % perRow;
    if (i > 0 && column === 0) y += OBJECT_H + GAP_Y / 2;
    placed.push({ ...object, x: PAD + column * (OBJECT_W + GAP_X), y });
  });
  if (placed.length > 0) {
    y += OBJECT_H + GAP_Y;
    widest = Math.max(
      widest,
      Math.ceil((Math.min(perRow, placed.length) * (OBJECT_W + GAP_X)) / (NODE_W + GAP_X)),
    );
  }
  return {
    width: PAD * 2 + Math.max(1, widest) * (NODE_W + GAP_X) - GAP_X,
    height: y - GAP_Y + PAD,
    nodeH,
    nodes,
    parents,
    links,
    objects: placed,
  };
}

function groupLinks(edges: readonly FamilyEdge[], nodes: ReadonlyMap<number, FamilyNode>): IpcLink[] {
  const links = new Map<string, IpcLink>();
  for (const e of edges) {
    if (e.kind === 'parent' || !nodes.has(e.from) || !nodes.has(e.to)) continue;
    const [a, b] = e.from < e.to ? [e.from, e.to] : [e.to, e.from];
    const key = `${e.kind}:${a}:${b}`;
    const link: IpcLink = links.get(key) ?? {
      key,
      kind: e.kind,
      route: 'free',
      a,
      b,
      toB: false,
      toA: false,
      labels: [],
    };
    if (e.directed) {
      if (e.from === a) link.toB = true;
      else link.toA = true;
    }
    link.labels.push(...(e.label?.split(' ') ?? []));
    links.set(key, link);
  }
  return [...links.values()];
}

function routeLinks(links: IpcLink[], parentOf: ReadonlyMap<number, number>): IpcLink[] {
  const parentEnd = (link: IpcLink): number | undefined =>
    parentOf.get(link.b) === link.a ? link.a : parentOf.get(link.a) === link.b ? link.b : undefined;
  const offTree = new Map<number, number>();
  for (const link of links) {
    if (parentEnd(link) !== undefined) continue;
    for (const end of [link.a, link.b]) offTree.set(end, (offTree.get(end) ?? 0) + 1);
  }
  return links.map((link) => {
    const parent = parentEnd(link);
    if (parent !== undefined) return { ...link, route: 'tree', anchor: parent };
    const [hub] = [link.a, link.b]
      .filter((end) => offTree.get(end)! >= HUB_LINKS)
      .sort((x, y) => offTree.get(y)! - offTree.get(x)!);
    return hub === undefined ? link : { ...link, route: 'hub', anchor: hub };
  });
}
