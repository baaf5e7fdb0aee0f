// The dependency graph's shape: cycles (each named in full) and the order to stop in.

/** Each cycle once, as the programs on it in order, the first repeated at the end: `a → b → a`. */
export function findCycles(deps: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): void => {
    state.set(name, 'open');
    stack.push(name);
    for (const next of deps.get(name) ?? []) {
      if (!deps.has(next)) continue;
      const seen = state.get(next);
      if (seen === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (seen === undefined) visit(next);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of deps.keys()) if (!state.has(name)) visit(name);
  return cycles;
}

/** For each name, the most steps that can be taken from it along `edges` (to names it has): 0 for none. */
function longestPaths(edges: ReadonlyMap<string, readonly string[]>): Map<string, number> {
  const length = new Map<string, number>();
  const lengthOf = (name: string): number => {
    const known = length.get(name);
    if (known !== undefined) return known;
    const own = Math.max(-1, ...(edges.get(name) ?? []).filter((next) => edges.has(next)).map(lengthOf)) + 1;
    length.set(name, own);
    return own;
  };
  for (const name of edges.keys()) lengthOf(name);
  return length;
}

/** Names grouped in layers: every program comes after everything it depends on (the graph has no cycle). */
export function startLayers(deps: ReadonlyMap<string, readonly string[]>): string[][] {
  const depths = longestPaths(deps);
  const layers: string[][] = [];
  for (const name of deps.keys()) (layers[depths.get(name)!] ??= []).push(name);
  return layers;
}

/**
 * For each name, how many programs at most wait behind it, one after the other (0 when nothing depends
 * on it): the longest chain of its dependents. The graph has no cycle.
 */
export function dependentChains(deps: ReadonlyMap<string, readonly string[]>): Map<string, number> {
  const dependents = new Map<string, string[]>([...deps.keys()].map((name) => [name, []]));
  for (const [name, on] of deps) for (const dep of on) dependents.get(dep)?.push(name);
  return longestPaths(dependents);
}
