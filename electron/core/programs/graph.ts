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

/** Names grouped in layers: every program comes after everything it depends on (the graph has no cycle). */
export function startLayers(deps: ReadonlyMap<string, readonly string[]>): string[][] {
  const depth = new Map<string, number>();
  const depthOf = (name: string): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    const own = Math.max(-1, ...(deps.get(name) ?? []).filter((dep) => deps.has(dep)).map(depthOf)) + 1;
    depth.set(name, own);
    return own;
  };
  const layers: string[][] = [];
  for (const name of deps.keys()) (layers[depthOf(name)] ??= []).push(name);
  return layers;
}
