// Children may share a name (two `ticker`s): the first keeps it, the later ones are told apart by a
// number (`ticker #2`), in the order they were started.

const serialOf = (id: string): number => Number(/\d+$/.exec(id)?.[0] ?? 0);

/** Each child's name as the window shows it, by child id. */
export function distinctNames(children: Iterable<{ id: string; name: string }>): Map<string, string> {
  const ordered = [...children].sort((a, b) => serialOf(a.id) - serialOf(b.id));
  const seen = new Map<string, number>();
  const shown = new Map<string, string>();
  for (const { id, name } of ordered) {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    shown.set(id, n === 1 ? name : `${name} #${n}`);
  }
  return shown;
}

/** How a new child named `name` would be shown beside these, or null when the name is free. */
export function nameForNew(children: Iterable<{ name: string }>, name: string): string | null {
  let count = 0;
  for (const child of children) if (child.name === name) count++;
  return count === 0 ? null : `${name} #${count + 1}`;
}
