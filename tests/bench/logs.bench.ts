// Logs on disk, side by side in one run: a child writing 100-byte lines as fast as it can, through
// Proctor to its log (rotation and gzip included), against the same program redirected to a file by
// the shell. Throughput counts the lines that reached the disk, so dropped lines count against us, and
// ends when the last line is on disk: the rotated segments still raw then are compressed after the fact
// (a lasting flood deletes them raw), so that time is printed beside it, not in it.
// Then 1 GiB through the default limits (10 MB × 5): the disk use and the backend's RSS and CPU.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { programDir } from '../../electron/core/logs/paths';
import { ProctorService } from '../../electron/core/service';
import { CLOCK_TICKS, statFields } from './proc-stat';
import { median, type BenchPart } from './report';

const LINE = 'x'.repeat(99);
const LINE_BYTES = LINE.length + 1;
const ROUND_BYTES = 128 * 1024 * 1024;
const ROUNDS = 5;
/**
 * Rounds run first and not counted, as the monitor's figures are read warmed up: the first round through
 * Proctor ran at 0.64–0.97 of the later ones (V8 still compiling the read path), and the shell's first
 * one meets a cold page cache.
 */
const WARM_UP_ROUNDS = 1;
const GIB = 1024 * 1024 * 1024;
const MIB = 1024 * 1024;

const program = (bytes: number): string => `yes ${LINE} | head -c ${bytes}`;

/**
 * CPU milliseconds of the children this process has waited for, and theirs in turn: the writing
 * program (`sh`, `yes`, `head`), and in a round through Proctor its guard too.
 */
function reapedCpuMs(): number {
  const fields = statFields('self');
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / CLOCK_TICKS;
}

interface ShellRun {
  linesPerSecond: number;
  /** The writing program's CPU. */
  programCpuMs: number;
  wallMs: number;
}

function throughShell(dir: string): ShellRun {
  const file = join(dir, 'shell.log');
  const reaped = reapedCpuMs();
  const started = performance.now();
  spawnSync('sh', ['-c', `${program(ROUND_BYTES)} > ${file}`]);
  const wallMs = performance.now() - started;
  const lines = statSync(file).size / LINE_BYTES;
  rmSync(file);
  return { linesPerSecond: lines / (wallMs / 1000), programCpuMs: reapedCpuMs() - reaped, wallMs };
}

interface Run {
  linesPerSecond: number;
  /** Lines per second with the compression of the segments still raw at the end counted in. */
  linesPerSecondCompressed: number;
  /** How long compressing those took after the last line was on disk. */
  compressMs: number;
  cpuMs: number;
  /** The writing program's CPU, with its guard's. */
  programCpuMs: number;
  wallMs: number;
  maxDisk: number;
  maxRssGrowth: number;
  dropped: number;
}

async function throughProctor(bytes: number, name: string): Promise<Run> {
  const root = mkdtempSync(join(tmpdir(), 'proctor-bench-logs-'));
  const service = new ProctorService({ version: 'bench', transport: 'websocket', logs: { root } });
  const dir = programDir(root, name);
  const rssBefore = process.memoryUsage().rss;
  let maxDisk = 0;
  let maxRss = rssBefore;
  const sampler = setInterval(() => {
    maxDisk = Math.max(maxDisk, diskUse(dir));
    maxRss = Math.max(maxRss, process.memoryUsage().rss);
  }, 20);
  const cpu = process.cpuUsage();
  const reaped = reapedCpuMs();
  const started = performance.now();
  const result = await service.invoke('children:start', {
    name,
    command: 'sh',
    args: ['-c', program(bytes)],
  });
  if (!result.ok) throw new Error(result.error.message);
  const { id } = result.value as { id: string };
  await service.invoke('children:join', { id });
  await service.logs.book.written();
  const onDisk = performance.now();
  await service.logs.book.flushed();
  const compressMs = performance.now() - onDisk;
  const seconds = (onDisk - started) / 1000;
  const used = process.cpuUsage(cpu);
  const programCpuMs = reapedCpuMs() - reaped;
  clearInterval(sampler);
  const [listed] = await service.logs.book.list();
  await service.shutdown('terminate');
  rmSync(root, { recursive: true, force: true });
  const dropped = listed?.dropped ?? 0;
  const lines = bytes / LINE_BYTES - dropped;
  return {
    linesPerSecond: lines / seconds,
    linesPerSecondCompressed: lines / (seconds + compressMs / 1000),
    compressMs,
    cpuMs: (used.user + used.system) / 1000,
    programCpuMs,
    wallMs: onDisk - started,
    maxDisk,
    maxRssGrowth: maxRss - rssBefore,
    dropped,
  };
}

function diskUse(dir: string): number {
  let total = 0;
  for (const name of (() => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  })()) {
    try {
      total += statSync(join(dir, name)).size;
    } catch {
      // A compression finished between the listing and the stat.
    }
  }
  return total;
}

const bench: BenchPart = async (report) => {
  const scratch = mkdtempSync(join(tmpdir(), 'proctor-bench-shell-'));
  const shell: ShellRun[] = [];
  const ours: Run[] = [];
  for (let round = 0; round < WARM_UP_ROUNDS; round++) {
    throughShell(scratch);
    await throughProctor(ROUND_BYTES, `warm-up-${round}`);
  }
  for (let round = 0; round < ROUNDS; round++) {
    shell.push(throughShell(scratch));
    ours.push(await throughProctor(ROUND_BYTES, `round-${round}`));
  }
  rmSync(scratch, { recursive: true, force: true });
  const oursMedian = median(ours.map((run) => run.linesPerSecond));
  const shellMedian = median(shell.map((run) => run.linesPerSecond));
  report.add({ area: 'logs', name: 'shell_lines_per_s', value: Math.round(shellMedian), unit: 'lines/s' });
  report.add({ area: 'logs', name: 'proctor_lines_per_s', value: Math.round(oursMedian), unit: 'lines/s' });
  report.add({
    area: 'logs',
    name: 'throughput_ratio',
    value: oursMedian / shellMedian,
    unit: 'x',
    note: 'lines on disk per second, ours / the shell redirect; target ≥ 0.5',
  });
  report.add({
    area: 'logs',
    name: 'throughput_ratio_compressed',
    value: median(ours.map((run) => run.linesPerSecondCompressed)) / shellMedian,
    unit: 'x',
    note: 'the same, with compressing the segments still raw at the end counted in',
  });
  report.add({
    area: 'logs',
    name: 'end_compress_ms',
    value: median(ours.map((run) => run.compressMs)),
    unit: 'ms',
    note: 'compressing the rotated segments still raw when the last line was on disk, 128 MiB rounds',
  });
  // What bounds the ratio on a machine of few cores: in a round through Proctor, the writing program
  // and the backend share the cores, and the shell's round has only the program to run.
  const cores = availableParallelism();
  const shellCpu = median(shell.map((run) => run.programCpuMs));
  const oursCpu = median(ours.map((run) => run.programCpuMs + run.cpuMs));
  const oursProgramCpu = median(ours.map((run) => run.programCpuMs));
  report.add({
    area: 'logs',
    name: 'shell_round_cpu_ms',
    value: shellCpu,
    unit: 'ms',
    note: `the writing program's CPU in a 128 MiB round to the shell's file, over ${median(shell.map((run) => run.wallMs)).toFixed(0)} ms`,
  });
  report.add({
    area: 'logs',
    name: 'proctor_round_cpu_ms',
    value: oursCpu,
    unit: 'ms',
    note: `in a round through Proctor, over ${median(ours.map((run) => run.wallMs)).toFixed(0)} ms: the writing program's and its guard's (${oursProgramCpu.toFixed(0)} ms) and the backend's`,
  });
  report.add({
    area: 'logs',
    name: 'cpu_bound_ratio',
    value: median(shell.map((run) => run.wallMs)) / (oursCpu / cores),
    unit: 'x',
    note: `the highest throughput_ratio ${cores} cores allow: the shell's time over a round's CPU spread over every core`,
  });
  report.add({
    area: 'logs',
    name: 'dropped_pct',
    value: (100 * median(ours.map((run) => run.dropped))) / (ROUND_BYTES / LINE_BYTES),
    unit: '%',
    note: 'lines the disk did not take in time, 128 MiB rounds',
  });

  const gib = await throughProctor(GIB, 'gib');
  report.add({
    area: 'logs',
    name: 'cpu_ms_per_mb',
    value: gib.cpuMs / (GIB / MIB),
    unit: 'ms/MiB',
    note: 'backend CPU (user+system) per MiB the child wrote, 1 GiB run',
  });
  report.add({
    area: 'logs',
    name: 'gib_max_disk_mb',
    value: gib.maxDisk / MIB,
    unit: 'MiB',
    note: 'limit 10 MiB × 5 = 50 MiB',
  });
  report.add({
    area: 'logs',
    name: 'gib_rss_growth_mb',
    value: gib.maxRssGrowth / MIB,
    unit: 'MiB',
    note: 'bound 200 MiB',
  });
};
export default bench;
