/** The 1, 5 and 15 minute load averages from /proc/loadavg (`0.52 0.58 0.59 2/789 12345`). */
export function parseLoadavg(text: string): [number, number, number] {
  const [one, five, fifteen] = text.trim().split(/\s+/).map(Number);
  if (![one, five, fifteen].every((value) => Number.isFinite(value))) {
    throw new Error(`/proc/loadavg is not a load line: ${JSON.stringify(text.slice(0, 80))}`);
  }
  return [one!, five!, fifteen!];
}
