// The union of the graphs seen over a run: every process and channel that existed at some moment.
import type { FamilyEdge, FamilyGraph, FamilyNode, SharedObject } from '../../../shared/model';

/**
 * Later sightings update a node, but what makes the run worth seeing sticks: a process once seen as a
 * zombie keeps Z, and one that died as an orphan's parent stays a ghost.
 */
export function mergeFamilyGraphs(into: FamilyGraph, next: FamilyGraph): FamilyGraph {
  const nodes = new Map<number, FamilyNode>(into.nodes.map((node) => [node.pid, node]));
  for (const node of next.nodes) {
    const before = nodes.get(node.pid);
    const ghost = node.ghost === true || before?.ghost === true;
    const state = before?.state === 'Z' && !ghost ? 'Z' : node.state;
    nodes.set(node.pid, { ...before, ...node, state, ...(ghost && { ghost: true, state: 'X' }) });
  }
  const edges = new Map<string, FamilyEdge>();
  const edgeKey = (edge: FamilyEdge): string =>
    `${edge.kind}|${edge.from}|${edge.to}|${edge.directed === true}`;
  for (const edge of [...into.edges, ...next.edges]) {
    const k = edgeKey(edge);
    const before = edges.get(k);
    const labels = new Set([...(before?.label?.split(' ') ?? []), ...(edge.label?.split(' ') ?? [])]);
    edges.set(k, labels.size > 0 ? { ...edge, label: [...labels].join(' ') } : { ...edge });
  }
  return {
    childId: into.childId,
    nodes: [...nodes.values()],
    edges: [...edges.values()],
    objects: mergeObjects(into.objects, next.objects),
    roles: { ...into.roles, ...next.roles },
  };
}

/**
 * An object's holders over the run: everyone that held it at some moment. A semaphore once seen as part
 * of a Queue stays in the Queue.
 */
function mergeObjects(into: readonly SharedObject[], next: readonly SharedObject[]): SharedObject[] {
  const byId = new Map<string, SharedObject>();
  for (const object of [...into, ...next]) {
    const before = byId.get(object.id);
    const holders = [...new Set([...(before?.holders ?? []), ...object.holders])].sort((a, b) => a - b);
    const parts = [...new Set([...(before?.parts ?? []), ...(object.parts ?? [])])];
    byId.set(object.id, { ...object, holders, ...(parts.length > 0 && { parts }) });
  }
  const inQueues = new Set([...byId.values()].flatMap((o) => o.parts ?? []));
  return [...byId.values()].filter((o) => o.kind === 'queue' || !inQueues.has(o.name));
}
