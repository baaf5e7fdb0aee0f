// The labels that name a supervised child in every metric of its own.

export interface ProgramLabels {
  program: string;
  /** Only where several children share a name: their order among them, in the order they were made. */
  replica?: string;
}

/** `program` is the child's name; children that share one are told apart by `replica` ("0", "1", …). */
export function programLabels(
  children: ReadonlyArray<{ id: string; name: string }>,
): Map<string, ProgramLabels> {
  const count = new Map<string, number>();
  for (const { name } of children) count.set(name, (count.get(name) ?? 0) + 1);
  const nth = new Map<string, number>();
  const labels = new Map<string, ProgramLabels>();
  for (const { id, name } of children) {
    if (count.get(name) === 1) {
      labels.set(id, { program: name });
      continue;
    }
    const replica = nth.get(name) ?? 0;
    nth.set(name, replica + 1);
    labels.set(id, { program: name, replica: String(replica) });
  }
  return labels;
}
