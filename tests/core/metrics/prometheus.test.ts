// /metrics against a real Prometheus: Debian's `prometheus` scrapes a real headless backend (the built
// out/main/server.js) running a spinner, a program killed in the test and a forked family, and Debian's
// `prometheus-process-exporter` measures the same family beside it; a stack file adds programs with
// replicas, a readiness probe and disk writes. Everything listens on 127.0.0.1 and is stopped at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, kernelCpuSeconds } from '../../support/ports-and-cpu';
import { startBackend, stopBackend, type Backend } from '../../support/backend-process';
import { repoRoot } from '../../support/in-process-server';

const FAMILY = join(repoRoot, 'tests/fixtures/metrics/family.py');
const SPINNER = join(repoRoot, 'tests/fixtures/monitor/busy.py');
const DASHBOARD = join(repoRoot, 'docs/grafana/proctor.json');
const TOKEN = 'metrics-test-token-0123456789';
// Each member of the family spends this much CPU and holds this much memory.
const BURN_SECONDS = 0.6;
const HOLD_MB = 40;
const OUR_FAMILY_CPU = 'sum(namedprocess_namegroup_cpu_seconds_total{job="proctor",groupname="family"})';
const THEIR_FAMILY_CPU =
  'sum(namedprocess_namegroup_cpu_seconds_total{job="process-exporter",groupname="family"})';
// The window of the rates: long enough to hold several 1 s scrapes on a loaded machine.
const RATE_WINDOW = '10s';

const spawned: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'proctor-prometheus-'));
let client: Backend;
let prometheus: string;
/** The family's CPU seconds by each, once both see all three members idle, before they spend anything. */
let baseline: { ours: number; theirs: number };
/** The family idles until this file exists: process-exporter's scrapes take seconds on a loaded machine. */
const GO = join(dir, 'family-go');

function start(command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  spawned.push(child);
  return child;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface Vector {
  metric: Record<string, string>;
  value: [number, string];
}

/** An instant query through Prometheus' HTTP API. */
async function query(expr: string, at?: number): Promise<Vector[]> {
  const params = new URLSearchParams({ query: expr, ...(at !== undefined && { time: String(at) }) });
  const body = (await (await fetch(`${prometheus}/api/v1/query?${params}`)).json()) as {
    status: string;
    error?: string;
    data: { resultType: string; result: Vector[] };
  };
  if (body.status !== 'success') throw new Error(`${expr}: ${body.error}`);
  return body.data.result;
}

async function scalar(expr: string, at?: number): Promise<number> {
  const result = await query(expr, at);
  if (result.length !== 1) throw new Error(`${expr}: ${result.length} series, expected one`);
  return Number(result[0]!.value[1]);
}

/** A stack: two replicas of a program with a readiness probe, and a program that writes to disk. */
async function loadStack(): Promise<void> {
  writeFileSync(
    join(dir, 'writer.py'),
    [
      'import os, sys, time',
      "with open(sys.argv[1], 'wb') as out:",
      '    while True:',
      "        out.write(b'x' * 256 * 1024)",
      '        out.flush()',
      '        os.fsync(out.fileno())',
      '        time.sleep(0.2)',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'proctor.yaml'),
    [
      'programs:',
      '  web:',
      '    command: sleep 600',
      '    replicas: 2',
      '    readiness_probe: { exec: { command: "true" }, period: 200 }',
      '  writer:',
      `    command: [python3, ${join(dir, 'writer.py')}, ${join(dir, 'written')}]`,
      '',
    ].join('\n'),
  );
  await client.call('programs:load', { file: join(dir, 'proctor.yaml') });
}

beforeAll(async () => {
  // out/main/server.js: npm test builds before Vitest.
  client = await startBackend({ args: ['--token', TOKEN], settingsFile: join(dir, 'settings.json') });
  const backend = client.origin;
  const [promPort, exporterPort] = [await freePort(), await freePort()];
  prometheus = `http://127.0.0.1:${promPort}`;

  // process-exporter's group: the family's python by its command line, anchored at argv[0] so the guard
  // (whose command line ends with the program's) stays out; its forked children join as children.
  writeFileSync(
    join(dir, 'process-exporter.yml'),
    `process_names:\n  - name: family\n    cmdline:\n      - '^\\S*python3\\S* \\S*family\\.py'\n`,
  );
  start('prometheus-process-exporter', [
    `-web.listen-address=127.0.0.1:${exporterPort}`,
    `-config.path=${join(dir, 'process-exporter.yml')}`,
    // The guard forks and then execs the program: without a recheck, process-exporter would judge the
    // program once, by the guard's command line it still had right after the fork, and never again.
    '-recheck',
  ]);
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global: { scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s }',
      'scrape_configs:',
      '  - job_name: proctor',
      `    authorization: { type: Bearer, credentials: ${TOKEN} }`,
      `    static_configs: [{ targets: ["${new URL(backend).host}"] }]`,
      '  - job_name: process-exporter',
      `    static_configs: [{ targets: ["127.0.0.1:${exporterPort}"] }]`,
      '',
    ].join('\n'),
  );
  start('prometheus', [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${promPort}`,
  ]);

  // process-exporter counts a process's CPU from when it first sees it: the family starts after that.
  await until('Prometheus to scrape both targets', async () => {
    const up = await query('up == 1');
    return up.length === 2 ? true : undefined;
  });
  // Daemons: the backend terminates them at once when it stops, without the quit policy's join.
  const daemon = { daemon: true };
  await client.call('children:start', { name: 'spinner', command: 'python3', args: [SPINNER], ...daemon });
  await client.call('children:start', {
    name: 'victim',
    command: 'sleep',
    args: ['600'],
    restart: { policy: 'always', maxRetries: 5, backoffMs: 100, maxBackoffMs: 100 },
    ...daemon,
  });
  await client.call('children:start', {
    name: 'family',
    command: 'python3',
    args: [FAMILY, String(BURN_SECONDS), String(HOLD_MB), GO],
    ...daemon,
  });
  // process-exporter misses what a process spent before it first saw it: the test compares what each
  // counted from a moment both saw the whole family, idle.
  baseline = await until('both exporters to see the family', async () =>
    (await query('namedprocess_namegroup_num_procs{groupname="family"} == 3')).length === 2
      ? { ours: await scalar(OUR_FAMILY_CPU), theirs: await scalar(THEIR_FAMILY_CPU) }
      : undefined,
  );
  writeFileSync(GO, '');
}, 60_000);

afterAll(async () => {
  if (client) await stopBackend(client);
  await Promise.all(
    spawned.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }),
  );
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

const children = async () => await client.call('children:list', {});
const pidOf = async (name: string) => (await children()).find((child) => child.name === name)!.pid!;

describe('a real Prometheus scraping /metrics', () => {
  it('sees the programs up, the busy one at its CPU share, and a killed one restarted', async () => {
    await until('two scrapes of the backend', async () =>
      (await scalar('count_over_time(proctor_monitor_processes{job="proctor"}[1m])')) >= 2 ? true : undefined,
    );
    for (const program of ['spinner', 'victim', 'family'])
      expect(await scalar(`proctor_program_up{program="${program}"}`)).toBe(1);

    const victim = await pidOf('victim');
    process.kill(victim, 'SIGKILL');

    // The spinner's CPU over one window, by the kernel's own account, to hold the rate against.
    const spinner = await pidOf('spinner');
    const from = { at: Date.now() / 1000, cpu: kernelCpuSeconds(spinner) };
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const to = { at: Date.now() / 1000, cpu: kernelCpuSeconds(spinner) };
    const kernelRate = (to.cpu - from.cpu) / (to.at - from.at);
    // The backend's view lags by one tick at most; let one more scrape land before asking.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const rate = await scalar(
      `sum(rate(namedprocess_namegroup_cpu_seconds_total{job="proctor",groupname="spinner"}[${RATE_WINDOW}]))`,
      to.at,
    );
    console.log(`spinner: ${rate.toFixed(3)} cores by Prometheus, ${kernelRate.toFixed(3)} by the kernel`);
    // A spinner wants one whole core; on a shared machine it gets what the kernel gives it, and the
    // metric must say exactly that.
    expect(rate).toBeGreaterThan(0.1);
    expect(Math.abs(rate - kernelRate)).toBeLessThan(0.15 * kernelRate + 0.02);

    await until('the killed program to show a restart', async () =>
      (await scalar('proctor_program_restarts_total{program="victim"}')) >= 1 ? true : undefined,
    );
    expect(await scalar('proctor_program_last_exit_code{program="victim"}')).toBe(-9);
    expect(await scalar('proctor_program_up{program="victim"}')).toBe(1);
  }, 60_000);

  it("measures the family's CPU seconds and resident memory within 5% of process-exporter", async () => {
    await until('the family to burn its CPU', async () =>
      (await scalar(OUR_FAMILY_CPU)) - baseline.ours >= 3 * BURN_SECONDS ? true : undefined,
    );
    const figures = async () => {
      const ours = (await scalar(OUR_FAMILY_CPU)) - baseline.ours;
      const theirs = (await scalar(THEIR_FAMILY_CPU)) - baseline.theirs;
      const ourMemory = await scalar(
        'namedprocess_namegroup_memory_bytes{job="proctor",groupname="family",memtype="resident"}',
      );
      const theirMemory = await scalar(
        'namedprocess_namegroup_memory_bytes{job="process-exporter",groupname="family",memtype="resident"}',
      );
      return { ours, theirs, ourMemory, theirMemory };
    };
    // At rest: neither figure moves over 2.5 s, time for another tick and two more scrapes of each.
    let before = await figures();
    const settled = await until('both to see the family at rest', async () => {
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const now = await figures();
      const still = now.ours === before.ours && now.theirs === before.theirs;
      before = now;
      return still ? now : undefined;
    });
    console.log(
      `family: CPU spent ${settled.ours.toFixed(2)} s by ours, ${settled.theirs.toFixed(2)} s process-exporter's; ` +
        `RSS ${(settled.ourMemory / 1e6).toFixed(1)} MB ours, ${(settled.theirMemory / 1e6).toFixed(1)} MB theirs`,
    );
    expect(Math.abs(settled.ours - settled.theirs)).toBeLessThan(0.05 * settled.theirs);
    expect(Math.abs(settled.ourMemory - settled.theirMemory)).toBeLessThan(0.05 * settled.theirMemory);
    expect(settled.ourMemory).toBeGreaterThan(3 * HOLD_MB * 1024 * 1024);
    expect(settled.ours).toBeGreaterThan(3 * BURN_SECONDS * 0.95);
    expect(await scalar('namedprocess_namegroup_num_procs{job="proctor",groupname="family"}')).toBe(3);
  }, 60_000);

  it("names a stack's programs and replicas, their readiness, open files and disk writes", async () => {
    // Loaded only now, so its writes do not weigh on the family's measurement above.
    await loadStack();
    for (const replica of ['0', '1']) {
      const web = `{program="web",replica="${replica}"}`;
      await until(`web-${replica} healthy`, async () =>
        (await scalar(`proctor_program_healthy${web}`)) === 1 ? true : undefined,
      );
      expect(await scalar(`proctor_program_up${web}`)).toBe(1);
      expect(await scalar(`proctor_program_state{program="web",replica="${replica}",state="healthy"}`)).toBe(
        1,
      );
      // `sh -c 'sleep 600'`: the shell and its sleep, once a tick has seen the family.
      await until(`web-${replica}'s family`, async () =>
        (await scalar(`namedprocess_namegroup_num_procs{groupname="web",replica="${replica}"}`)) === 2
          ? true
          : undefined,
      );
    }
    // Without a readiness probe there is nothing to say about health: no series, never a 0.
    expect(await query('proctor_program_healthy{program="writer"}')).toEqual([]);
    expect(await scalar('proctor_program_state{program="writer",state="running"}')).toBe(1);
    // 256 KiB every 0.2 s: a few MiB in a few seconds, counted where the kernel counts it.
    const writes = await until('the writer to write 2 MiB', async () => {
      const written = await scalar('namedprocess_namegroup_write_bytes_total{groupname="writer"}');
      return written >= 2 * 1024 * 1024 ? written : undefined;
    });
    expect(writes).toBeGreaterThan(0);
    expect(
      await scalar('namedprocess_namegroup_read_bytes_total{groupname="writer"}'),
    ).toBeGreaterThanOrEqual(0);
    // stdin, stdout, stderr and the file it writes, at least.
    expect(await scalar('namedprocess_namegroup_open_filedesc{groupname="writer"}')).toBeGreaterThanOrEqual(
      4,
    );
  }, 60_000);

  it('finds data for every expression of the Grafana dashboard', async () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
      panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
    };
    const exprs = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr));
    expect(exprs.length).toBeGreaterThan(10);
    for (const expr of exprs) {
      // Grafana's variables, as a dashboard over this one backend would set them.
      const concrete = expr.replaceAll('$job', 'proctor').replaceAll('$__rate_interval', RATE_WINDOW);
      expect({ expr, series: (await query(concrete)).length }).not.toMatchObject({ series: 0 });
    }
  }, 30_000);
});
