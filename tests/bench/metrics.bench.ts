import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FamilyMeter, ProctorMetrics } from '../../electron/core/metrics';
import { FAMILY_IO_MAX_MEMBERS, FamilyIo } from '../../electron/core/metrics/family-io';
import { Monitor } from '../../electron/core/monitor';
import { Supervisor } from '../../electron/core/supervisor';
import { freePort, kernelCpuSeconds } from '../support/ports-and-cpu';
import { median, type BenchPart, type BenchReport } from './report';
import { supervisedOf } from '../../electron/core/supervised';

// /metrics' cost with 200 supervised programs of 25 processes each (5,000 and their guards): the time
// to render it, the monitor's CPU with a scrape every 15 s against without (both in this process,
// taking turns, after a warm-up), and process-exporter's CPU for the same process table beside ours.

const PROGRAMS = 200;
const SLEEPS_EACH = 24;
// Seconds per measured window; PROCTOR_BENCH_METRICS_SECONDS shortens a quick check.
const WINDOW_S = Number(process.env.PROCTOR_BENCH_METRICS_SECONDS ?? 20);
const SCRAPE_EVERY_MS = 15_000;
const RENDER_REPS = 15;

const bench: BenchPart = async (report) => {
  const supervisor = new Supervisor();
  const monitor = new Monitor({
    supervised: supervisedOf(supervisor),
  });
  try {
    await startPrograms(supervisor);
    await renderTime(report, monitor, supervisor);
    await scrapeCost(report, monitor, supervisor);
  } finally {
    monitor.stop();
    await supervisor.shutdown('terminate');
  }
};
export default bench;

async function startPrograms(supervisor: Supervisor): Promise<void> {
  const script = `i=0; while [ $i -lt ${SLEEPS_EACH} ]; do sleep 600 & i=$((i+1)); done; wait`;
  for (let batch = 0; batch < PROGRAMS; batch += 20) {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        supervisor.start({ name: `program-${batch + i}`, command: 'sh', args: ['-c', script], daemon: true }),
      ),
    );
  }
}

async function renderTime(report: BenchReport, monitor: Monitor, supervisor: Supervisor): Promise<void> {
  const metrics = new ProctorMetrics(monitor, supervisor);
  // Until every family is whole: sh and its sleeps.
  for (;;) {
    await monitor.tick();
    await metrics.render();
    const procs = (await metrics.registry.getSingleMetric('namedprocess_namegroup_num_procs')!.get()).values;
    if (procs.length === PROGRAMS && procs.every((v) => v.value === SLEEPS_EACH + 1)) break;
  }
  report.add({
    area: 'metrics',
    name: 'processes',
    value: monitor.stats().processCount,
    unit: 'processes',
    note: `${PROGRAMS} programs of ${SLEEPS_EACH + 1}`,
  });
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RENDER_REPS; i++) {
    const started = performance.now();
    bytes = (await metrics.render()).length;
    times.push(performance.now() - started);
  }
  report.add({
    area: 'metrics',
    name: 'render_ms',
    value: median(times),
    unit: 'ms',
    note: `median of ${RENDER_REPS}; ${Math.round(bytes / 1024)} KiB of text`,
  });
  metrics.dispose();
  // The part of a render that reads /proc: open files and I/O of one bounded slice of the family members.
  const meter = new FamilyMeter(monitor);
  meter.record();
  const io = new FamilyIo();
  const ioTimes: number[] = [];
  for (let i = 0; i < RENDER_REPS; i++) {
    const started = performance.now();
    io.read(meter.lastMembers());
    ioTimes.push(performance.now() - started);
  }
  report.add({
    area: 'metrics',
    name: 'family_io_ms',
    value: median(ioTimes),
    unit: 'ms',
    note: `open fds and /proc/PID/io of ${FAMILY_IO_MAX_MEMBERS} family members, part of render_ms`,
  });
}

/** CPU seconds of this process over one window of the monitor at 1 Hz, with or without metrics. */
async function window(monitor: Monitor, supervisor: Supervisor, scrape: boolean): Promise<number> {
  const metrics = scrape ? new ProctorMetrics(monitor, supervisor) : null;
  const timer = metrics ? setInterval(() => void metrics.render(), SCRAPE_EVERY_MS) : null;
  const before = process.cpuUsage();
  await sleep(WINDOW_S * 1000);
  const used = process.cpuUsage(before);
  if (timer) clearInterval(timer);
  metrics?.dispose();
  return (used.user + used.system) / 1e6;
}

async function scrapeCost(report: BenchReport, monitor: Monitor, supervisor: Supervisor): Promise<void> {
  monitor.start();
  // Warm-up: V8 compiles the tick's hot paths over its first seconds.
  await window(monitor, supervisor, true);
  const plain: number[] = [];
  const scraped: number[] = [];
  // Taking turns, so a busy moment of the machine falls on both alike.
  for (let i = 0; i < 2; i++) {
    plain.push(await window(monitor, supervisor, false));
    scraped.push(await window(monitor, supervisor, true));
  }
  const ours = median(scraped);
  report.add({
    area: 'metrics',
    name: 'scrape_cpu_ratio',
    value: ours / median(plain),
    unit: 'x',
    note: `1 Hz monitor + a scrape every 15 s / without, ${WINDOW_S} s windows; target ≤ 1.05; CPU s ${scraped.map((s) => s.toFixed(2)).join(' / ')} vs ${plain.map((s) => s.toFixed(2)).join(' / ')}`,
  });
  monitor.stop();
  const theirs = await processExporterCpu();
  report.add({
    area: 'metrics',
    name: 'vs_process_exporter',
    value: theirs / ours,
    unit: 'x',
    note: `process-exporter scraped every 1 s (as fresh as our 1 Hz tick), smaps and threads off: ${theirs.toFixed(2)} CPU s in ${WINDOW_S} s, ours ${ours.toFixed(2)}`,
  });
}

/** process-exporter over every process (one group per comm), scraped each second by a separate process. */
async function processExporterCpu(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'proctor-bench-pe-'));
  const config = join(dir, 'config.yml');
  writeFileSync(config, `process_names:\n  - name: "{{.Comm}}"\n    cmdline: ['.*']\n`);
  const port = await freePort();
  const children: ChildProcess[] = [];
  try {
    const exporter = spawn(
      'prometheus-process-exporter',
      [
        `-web.listen-address=127.0.0.1:${port}`,
        `-config.path=${config}`,
        '-gather-smaps=false',
        '-threads=false',
      ],
      { stdio: 'ignore' },
    );
    children.push(exporter);
    const url = `http://127.0.0.1:${port}/metrics`;
    // Its first scrape reads every process whole: seconds at 5,000 on a busy machine.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ok = await fetch(url).then(
        (r) => r.text().then(() => r.ok),
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error('process-exporter did not answer within 60 s');
      await sleep(200);
    }
    // Warm-up scrapes, as for ours; then the measured window.
    for (let i = 0; i < 5; i++) await fetch(url).then((r) => r.text());
    const scraper = spawn(
      process.execPath,
      ['-e', `setInterval(() => fetch(${JSON.stringify(url)}).then((r) => r.text()), 1000)`],
      { stdio: 'ignore' },
    );
    children.push(scraper);
    const before = kernelCpuSeconds(exporter.pid!);
    await sleep(WINDOW_S * 1000);
    return kernelCpuSeconds(exporter.pid!) - before;
  } finally {
    for (const child of children) {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
