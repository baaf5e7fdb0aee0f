import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Supervisor } from '../../electron/core/supervisor';
import { median, type BenchPart } from './report';

// Start+join of `true` children, one after another, through the Supervisor (guard shim: one more
// fork+exec per child) and through bare child_process.spawn, in the same run. Rounds alternate so
// machine noise hits both sides alike; the figure is the ratio of the medians.
const CHILDREN = 200;
const ROUNDS = 5;

async function bare(): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < CHILDREN; i++) {
    const proc = spawn('true', []);
    await once(proc, 'exit');
  }
  return performance.now() - started;
}

async function supervised(supervisor: Supervisor): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < CHILDREN; i++) {
    const child = await supervisor.start({ command: 'true', args: [] });
    if ((await child.join()) !== 0)
      throw new Error(`child exited ${child.exitcode}: ${child.error?.message}`);
  }
  return performance.now() - started;
}

const bench: BenchPart = async (report) => {
  const supervisor = new Supervisor();
  const guard = supervisor.guardStatus();
  await bare();
  await supervised(supervisor);
  const bareMs: number[] = [];
  const supervisedMs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    bareMs.push(await bare());
    supervisedMs.push(await supervised(supervisor));
  }
  const bareMedian = median(bareMs);
  const supervisedMedian = median(supervisedMs);
  report.add({ area: 'supervisor', name: 'bare_spawn_200_ms', value: bareMedian, unit: 'ms' });
  report.add({
    area: 'supervisor',
    name: 'supervisor_200_ms',
    value: supervisedMedian,
    unit: 'ms',
    note: `guard: ${guard.kind}`,
  });
  report.add({
    area: 'supervisor',
    name: 'start_join_vs_spawn',
    value: supervisedMedian / bareMedian,
    unit: 'x',
    note: 'target ≤ 1.5',
  });
};
export default bench;
