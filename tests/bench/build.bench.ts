import { spawnSync } from 'node:child_process';
import type { BenchPart } from './report';

// The build's own cost: how long `electron-vite build` takes for all three targets.
const bench: BenchPart = async (report) => {
  const started = performance.now();
  const result = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'ignore' });
  if (result.status !== 0) throw new Error('electron-vite build failed');
  report.add({
    area: 'build',
    name: 'electron_vite_s',
    value: (performance.now() - started) / 1000,
    unit: 's',
  });
};
export default bench;
