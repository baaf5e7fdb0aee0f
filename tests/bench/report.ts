// The bench's output format: a human table, then one `bench.<area>.<figure>: <number>` line per figure.
export interface BenchFigure {
  area: string;
  name: string;
  value: number;
  unit: string;
  /** What the figure is measured against, e.g. "target ≤ 1.5". */
  note?: string;
}

export class BenchReport {
  private readonly figures: BenchFigure[] = [];

  add(figure: BenchFigure): void {
    this.figures.push(figure);
    const shown = Number.isInteger(figure.value) ? String(figure.value) : figure.value.toFixed(3);
    console.error(
      `  ${figure.area}.${figure.name} = ${shown} ${figure.unit}${figure.note ? `  (${figure.note})` : ''}`,
    );
  }

  print(): void {
    const rows = this.figures.map((f) => [
      `${f.area}.${f.name}`,
      Number.isInteger(f.value) ? String(f.value) : f.value.toFixed(3),
      f.unit,
      f.note ?? '',
    ]);
    const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length), 6));
    const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
    console.log(line(['figure', 'value', 'unit', 'note']));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of rows) console.log(line(r));
    console.log('');
    for (const f of this.figures) console.log(`bench.${f.area}.${f.name}: ${Number(f.value.toPrecision(6))}`);
  }
}

/** A bench part: one file per area, `tests/bench/<area>.bench.ts`, default-exporting this. */
export type BenchPart = (report: BenchReport) => Promise<void>;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
