// Runs every bench part (`*.bench.ts` beside this file), or only those named on the command line.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BenchReport, type BenchPart } from './report';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const parts = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace('.bench.ts', '')))
  .sort();

const report = new BenchReport();
for (const file of parts) {
  console.error(`# ${file}`);
  const part = (await import(pathToFileURL(join(here, file)).href)) as { default: BenchPart };
  await part.default(report);
}
report.print();
