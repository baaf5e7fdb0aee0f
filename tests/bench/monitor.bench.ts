import { execFile, execFileSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pidusage from 'pidusage';
import psList from 'ps-list';
import { ProcSource } from '../../electron/core/monitor';
import { buildKeptFloor, KeptFloor, type FloorRound } from './kept-floor';
import { median, type BenchPart, type BenchReport } from './report';
import { Sleepers } from './sleepers';

// The monitor's cost, side by side with the other ways to read the process table, at the current
// process count and with +1,000 and +5,000 idle sleeps; then the 1 Hz loop's own CPU and memory,
// measured in a process of its own (tests/fixtures/monitor/loop-probe.ts), from a cold start and warmed
// up, in three runs whose medians are the figures.

const here = dirname(fileURLToPath(import.meta.url));
const PROBE = join(here, '../fixtures/monitor/loop-probe.ts');
const PROBE_OUT = join(here, '../../.bench/monitor-probe');
const PROBE_SECONDS = 20;
// Probe runs per level. One 20 s window on this shared machine swings by ±0.4 points of a core at 1k
// (syscall cost in the sandbox, V8's tiering); each figure is the median of these runs, all printed.
const PROBE_RUNS = 3;

interface Level {
  label: string;
  extra: number;
  reps: number;
}
const LEVELS: Level[] = [
  { label: 'base', extra: 0, reps: 9 },
  { label: '1k', extra: 1000, reps: 9 },
  { label: '5k', extra: 5000, reps: 5 },
];

type Timings = Record<'source' | 'pslist' | 'pidusage' | 'ps' | 'floor' | 'kept_floor', number>;
/** The probe's figures: each one's median over the runs, and every run's value. */
interface ProbeFigures {
  median: Record<string, number>;
  runs: Record<string, number[]>;
}

const bench: BenchPart = async (report) => {
  const bundle = await buildProbe();
  const floorBuild = buildKeptFloor();
  const keptFloorBinary = 'binary' in floorBuild ? floorBuild.binary : null;
  const keptNote =
    'error' in floorBuild ? `no C compiler: ${floorBuild.error}` : 'source / kept-fd pread floor';
  const sleeps = new Sleepers();
  const times = new Map<string, Timings>();
  const probes = new Map<string, ProbeFigures>();
  /** The same probe with every optional column shown. */
  const columnProbes = new Map<string, ProbeFigures>();
  try {
    for (const level of LEVELS) {
      await sleeps.grow(level.extra);
      const count = pidsNow().length;
      report.add({ area: 'monitor', name: `processes_${level.label}`, value: count, unit: 'processes' });
      const timing = await timeReaders(report, level, keptFloorBinary);
      times.set(level.label, timing);
      // Printed as each level ends: the floor of the source's own strategy (kept fds, schedstat first);
      // what is left over it is parsing, the JS object per process, the pid list and the budget's yields.
      if (level.extra > 0) {
        const name = level.label === '1k' ? 'vs_kept_floor' : `vs_kept_floor_${level.label}`;
        report.add({
          area: 'monitor',
          name,
          value: timing.source / timing.kept_floor,
          unit: 'x',
          note: keptNote,
        });
      }
      if (level.extra > 0) probes.set(level.label, probeRuns(bundle, level.extra === 5000));
      if (level.extra > 0) columnProbes.set(level.label, probeRuns(bundle, false, true));
    }
  } finally {
    await sleeps.killAll();
    pidusage.clear();
  }

  const at1k = times.get('1k')!;
  report.add({
    area: 'monitor',
    name: 'vs_pslist',
    value: at1k.pslist / at1k.source,
    unit: 'x',
    note: 'target ≥ 6',
  });
  report.add({ area: 'monitor', name: 'vs_ps', value: at1k.ps / at1k.source, unit: 'x', note: 'target ≥ 5' });
  report.add({
    area: 'monitor',
    name: 'vs_floor',
    value: at1k.source / at1k.floor,
    unit: 'x',
    note: 'target ≤ 1.3',
  });
  for (const label of ['base', '5k']) {
    const t = times.get(label)!;
    report.add({ area: 'monitor', name: `vs_pslist_${label}`, value: t.pslist / t.source, unit: 'x' });
    report.add({ area: 'monitor', name: `vs_ps_${label}`, value: t.ps / t.source, unit: 'x' });
    report.add({ area: 'monitor', name: `vs_floor_${label}`, value: t.source / t.floor, unit: 'x' });
  }

  const p1k = probes.get('1k')!;
  const p5k = probes.get('5k')!;
  const add = (name: string, value: number | undefined, unit: string, note?: string) =>
    report.add({ area: 'monitor', name, value: value ?? Number.NaN, unit, ...(note ? { note } : {}) });
  const runs = (values: number[] | undefined) =>
    `runs ${(values ?? []).map((v) => v.toFixed(2)).join(' / ')}`;
  // Printed so a load that changed under a probe shows: each run's processes at its end.
  const counts = (figures: ProbeFigures) => `processes ${(figures.runs.processCount ?? []).join(' / ')}`;
  // The targets read the warmed-up figure, the all-day cost; the cold one is printed beside it.
  const cpuLevels = [
    { label: '1k', figures: p1k, target: 2 },
    { label: '5k', figures: p5k, target: 6 },
  ];
  for (const { label, figures, target } of cpuLevels) {
    const note = `whole probe process at 1 Hz, warmed up; target ≤ ${target}; ${runs(figures.runs.cpuPct)}; ${counts(figures)}`;
    add(`cpu_pct_${label}`, figures.median.cpuPct, '%', note);
  }
  for (const { label, target } of [
    { label: '1k', target: 1.5 },
    { label: '5k', target: 4.5 },
  ]) {
    const figures = columnProbes.get(label)!;
    const note = `every optional column shown, warmed up; target ≤ ${target}; ${runs(figures.runs.cpuPct)}; ${counts(figures)}`;
    add(`cpu_pct_all_columns_${label}`, figures.median.cpuPct, '%', note);
  }
  for (const { label, figures } of cpuLevels) {
    const note = `the first 20 s from start, V8 still compiling; ${runs(figures.runs.cpuPctCold)}`;
    add(`cpu_pct_${label}_cold`, figures.median.cpuPctCold, '%', note);
  }
  add('self_cpu_pct_1k', p1k.median.selfCpuPct, '%', 'what stats().selfCpuPct showed');
  add('self_cpu_pct_5k', p5k.median.selfCpuPct, '%', 'what stats().selfCpuPct showed');
  add('max_stall_ms_1k', p1k.median.maxStallMs, 'ms', 'longest event-loop delay over 20 ticks');
  add('max_stall_ms_5k', p5k.median.maxStallMs, 'ms', 'longest event-loop delay over 120 ticks');
  add('p99_stall_ms_1k', p1k.median.p99StallMs, 'ms');
  add('p99_stall_ms_5k', p5k.median.p99StallMs, 'ms');
  add(
    'delta_share',
    p1k.median.deltaShare,
    'ratio',
    'median delta / snapshot JSON bytes at +1k; target ≤ 0.05',
  );
  add('delta_share_5k', p5k.median.deltaShare, 'ratio');
  add('snapshot_kb_5k', (p5k.median.snapshotBytes ?? 0) / 1024, 'KiB');
  add(
    'rss_mb_5k',
    p5k.median.rssFullMb,
    'MB',
    `${p5k.median.processCountFull} processes, 120-sample history full; target ≤ 150; ${runs(p5k.runs.rssFullMb)}`,
  );
  add('heap_mb_5k', p5k.median.heapFullMb, 'MB');
  add('rss_before_monitor_mb', p5k.median.rssBeforeMb, 'MB', 'the probe process before the monitor starts');
};
export default bench;

/** Median ms of each reader, taking turns so a busy moment on the machine hits them all alike. */
async function timeReaders(
  report: BenchReport,
  level: Level,
  keptFloorBinary: string | null,
): Promise<Timings> {
  const source = new ProcSource();
  // Started, and its first round (every stat, like a first tick) run, beside the source's cold sample.
  const kept = keptFloorBinary ? new KeptFloor(keptFloorBinary) : null;
  await kept?.round();
  const coldStart = performance.now();
  await source.sample();
  report.add({
    area: 'monitor',
    name: `source_cold_ms_${level.label}`,
    value: performance.now() - coldStart,
    unit: 'ms',
  });
  // pidusage reads every pid twice on first sight; warm it like the source.
  await pidusage(pidsNow());

  const runs: Record<keyof Timings, number[]> = {
    source: [],
    pslist: [],
    pidusage: [],
    ps: [],
    floor: [],
    kept_floor: [],
  };
  const floorRounds: FloorRound[] = [];
  const readers: Record<Exclude<keyof Timings, 'kept_floor'>, () => Promise<unknown> | unknown> = {
    source: () => source.sample(),
    pslist: () => psList(),
    pidusage: () => pidusage(pidsNow()),
    ps: () => runPs(),
    floor: () => statFloor(),
  };
  for (let rep = 0; rep < level.reps; rep++) {
    for (const [name, read] of Object.entries(readers) as Array<[keyof Timings, () => unknown]>) {
      const started = performance.now();
      await read();
      runs[name].push(performance.now() - started);
    }
    // The floor times itself in C: the pipe's round trip is not the floor's cost.
    const round = await kept?.round();
    if (round) floorRounds.push(round);
    runs.kept_floor.push(round?.totalMs ?? Number.NaN);
  }
  source.close();
  kept?.close();
  if (floorRounds.length > 0) {
    report.add({
      area: 'monitor',
      name: `kept_floor_split_${level.label}`,
      value: median(floorRounds.map((r) => r.statReads)),
      unit: 'stat reads',
      note:
        `of ${floorRounds[0]!.processes} processes; schedstat ${median(floorRounds.map((r) => r.schedstatMs)).toFixed(2)} ms` +
        ` + stat ${median(floorRounds.map((r) => r.statMs)).toFixed(2)} ms (medians)`,
    });
  }
  const timings = Object.fromEntries(Object.entries(runs).map(([name, ms]) => [name, median(ms)])) as Timings;
  for (const [name, ms] of Object.entries(timings)) {
    report.add({
      area: 'monitor',
      name: `${name}_ms_${level.label}`,
      value: ms,
      unit: 'ms',
      note: 'median per snapshot',
    });
  }
  return timings;
}

function pidsNow(): number[] {
  return readdirSync('/proc')
    .filter((name) => name.charCodeAt(0) >= 0x30 && name.charCodeAt(0) <= 0x39)
    .map(Number);
}

/** `ps` as a whole process, the way a tool that shells out would pay for it. */
function runPs(): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile('ps', ['-eo', 'pid,ppid,stat,pcpu,rss,comm'], { maxBuffer: 64 << 20 }, (error) =>
      error ? reject(error) : resolve(),
    ),
  );
}

const floorBuf = Buffer.alloc(4096);
/** The floor: open, read and close every /proc/PID/stat in a tight loop, parsing nothing. */
function statFloor(): number {
  let bytes = 0;
  for (const name of readdirSync('/proc')) {
    const first = name.charCodeAt(0);
    if (first < 0x30 || first > 0x39) continue;
    try {
      const fd = openSync(`/proc/${name}/stat`, 'r');
      bytes += readSync(fd, floorBuf, 0, floorBuf.length, 0);
      closeSync(fd);
    } catch {
      // exited since readdir
    }
  }
  return bytes;
}

/** Bundles the probe like the app is bundled, into the ignored .bench folder beside node_modules. */
async function buildProbe(): Promise<string> {
  const { build } = await import('vite');
  await build({
    configFile: false,
    logLevel: 'silent',
    build: { ssr: PROBE, outDir: PROBE_OUT, emptyOutDir: true, minify: false, target: 'node20' },
  });
  return join(PROBE_OUT, 'loop-probe.js');
}

function probe(bundle: string, fill: boolean, columns: boolean): Record<string, number> {
  const out = execFileSync(
    process.execPath,
    [
      '--expose-gc',
      bundle,
      String(PROBE_SECONDS),
      ...(fill ? ['fill'] : []),
      ...(columns ? ['columns'] : []),
    ],
    { encoding: 'utf8', timeout: 120_000, env: { ...process.env, NODE_OPTIONS: '' } },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>;
}

/** PROBE_RUNS probes one after another: every figure's median, and each run's figures. */
function probeRuns(bundle: string, fill: boolean, columns = false): ProbeFigures {
  const all = Array.from({ length: PROBE_RUNS }, () => probe(bundle, fill, columns));
  const runs: Record<string, number[]> = {};
  for (const result of all) for (const [key, value] of Object.entries(result)) (runs[key] ??= []).push(value);
  const medians: Record<string, number> = {};
  for (const [key, values] of Object.entries(runs)) medians[key] = median(values);
  return { median: medians, runs };
}
