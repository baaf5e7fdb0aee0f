// Programs: a 50-program stack up to all healthy against its critical path, crash-to-restart latency
// with zero backoff, and memory with 50 programs — ours and pm2's (a bench-only dev dependency) side
// by side in one run, so machine noise hits both alike.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseStack, stackOrThrow } from '../../electron/core/programs/load';
import { Orchestrator } from '../../electron/core/programs/orchestrator';
import { Supervisor } from '../../electron/core/supervisor';
import type { ProgramInfo } from '../../shared/model';
import { startBackend, stopBackend } from '../support/backend-process';
import { median, type BenchPart } from './report';

const PROGRAMS = 50;
const CHAIN = 10;
const PERIOD_MS = 100;
const CRASHES = 15;
/** Between crashes: past the minimum uptime of both tools, so no crash counts as a fast failure. */
const SETTLE_MS = 300;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1];
  return Number(kb) / 1024;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function listen(): Promise<Server> {
  const server = createServer((socket) => socket.end());
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** p0 ← p1 ← … ← p9 each healthy before the next; 40 more independent; every program TCP-probed each period. */
function stackYaml(port: number): string {
  const probe = `readiness_probe: { tcp_socket: { port: ${port} }, initial_delay: ${PERIOD_MS}ms, period: ${PERIOD_MS}ms }`;
  const lines = ['programs:'];
  for (let i = 0; i < PROGRAMS; i++) {
    const deps = i > 0 && i < CHAIN ? `, depends_on: { p${i - 1}: { condition: healthy } }` : '';
    lines.push(`  p${i}: { command: [sleep, '1000'], ${probe}${deps} }`);
  }
  lines.push(
    `  crash: { command: [sleep, '1000'], restart: { policy: always, backoff: 0, min_uptime: 100ms, max_restarts: 1000 } }`,
  );
  return lines.join('\n');
}

/**
 * Resolves once `test` holds for the programs as their `state` events tell them. Kept from the events,
 * not listed again at each one: 50 programs listed at each of their few hundred events cost the
 * measured process tens of milliseconds that are the bench's, not the orchestrator's.
 */
function until(orchestrator: Orchestrator, test: (list: ProgramInfo[]) => boolean): Promise<void> {
  const programs = new Map(orchestrator.list().map((info) => [info.name, info]));
  return new Promise((resolve) => {
    const check = (info?: ProgramInfo): void => {
      if (info) programs.set(info.name, info);
      if (!test([...programs.values()])) return;
      orchestrator.off('state', check);
      resolve();
    };
    orchestrator.on('state', check);
    check();
  });
}

async function ours(report: Parameters<BenchPart>[0]): Promise<{ restartMs: number }> {
  const server = await listen();
  const { port } = server.address() as { port: number };
  const supervisor = new Supervisor();
  const orchestrator = new Orchestrator(supervisor);
  const yaml = stackYaml(port);
  const started = performance.now();
  const stack = stackOrThrow(parseStack(yaml, join(tmpdir(), 'bench-proctor.yaml')));
  const parseMs = performance.now() - started;
  await orchestrator.apply(stack);
  await until(orchestrator, (list) =>
    list.filter((p) => p.name !== 'crash').every((p) => p.state === 'healthy'),
  );
  const upMs = performance.now() - started;
  report.add({
    area: 'programs',
    name: 'up_ms',
    value: upMs,
    unit: 'ms',
    note: `${PROGRAMS} programs, ${CHAIN}-deep chain`,
  });
  // Part of up: the file read cold (YAML, then the schema) before anything starts.
  report.add({ area: 'programs', name: 'parse_ms', value: parseMs, unit: 'ms', note: 'of up_ms' });
  report.add({
    area: 'programs',
    name: 'up_overhead',
    value: upMs / (CHAIN * PERIOD_MS),
    unit: 'x',
    note: `up / ${CHAIN} × ${PERIOD_MS} ms on the critical path, target ≤ 1.2`,
  });

  const restarts: number[] = [];
  for (let i = 0; i < CRASHES; i++) {
    await sleep(SETTLE_MS);
    const before = orchestrator.list().find((p) => p.name === 'crash')!;
    const killed = performance.now();
    process.kill(before.pid!, 'SIGKILL');
    await until(orchestrator, (list) =>
      list.some((p) => p.name === 'crash' && p.state === 'running' && p.pid !== before.pid),
    );
    restarts.push(performance.now() - killed);
  }
  await orchestrator.shutdown();
  server.close();
  return { restartMs: median(restarts) };
}

/**
 * Our backend as its own process, the way pm2's daemon is measured: the built headless server
 * (out/main/server.js) with the same stack as its kept programs file, once every program is healthy.
 */
async function backendRss(): Promise<{ rss: number; shutdown: () => Promise<void> }> {
  const server = await listen();
  const { port } = server.address() as { port: number };
  const dir = mkdtempSync(join(tmpdir(), 'proctor-bench-backend-'));
  writeFileSync(join(dir, 'programs.yaml'), stackYaml(port));
  const backend = await startBackend({ settingsFile: join(dir, 'settings.json'), captureStderr: true });
  const healthy = async () =>
    (await backend.call('programs:list', {}))
      .filter((p) => p.name !== 'crash')
      .every((p) => p.state === 'healthy');
  while (!(await healthy())) await sleep(200);
  // A few probe periods and monitor ticks at steady state, as pm2's daemon gets its settle time.
  await sleep(SETTLE_MS * 10);
  return {
    rss: rssMb(backend.process.pid!),
    shutdown: async () => {
      await backend.call('programs:stop', {});
      await stopBackend(backend);
      server.close();
    },
  };
}

/**
 * An empty Node process on the same binary, once settled: the RSS that any Node daemon carries before
 * its first line of code (the binary's mapped pages, V8's initial heap). pm2's RSS over this is the
 * highest `rss_vs_pm2` a Node backend could reach.
 */
async function emptyNodeRss(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await sleep(SETTLE_MS * 10);
  const rss = rssMb(child.pid!);
  child.kill('SIGKILL');
  return rss;
}

type Pm2 = typeof import('pm2');
const call = <T>(run: (done: (error: Error | null, value?: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => run((error, value) => (error ? reject(error) : resolve(value as T))));

async function pm2Side(): Promise<{ restartMs: number; rss: number; shutdown: () => Promise<void> }> {
  const home = mkdtempSync(join(tmpdir(), 'proctor-bench-pm2-'));
  process.env.PM2_HOME = home;
  const pm2 = ((await import('pm2')) as unknown as { default: Pm2 }).default;
  await call((done) => pm2.connect(done));
  for (let i = 0; i < PROGRAMS; i++) {
    await call((done) =>
      pm2.start({ name: `p${i}`, script: 'sleep', args: '1000', interpreter: 'none' }, done),
    );
  }
  await call((done) =>
    pm2.start(
      {
        name: 'crash',
        script: 'sleep',
        args: '1000',
        interpreter: 'none',
        restart_delay: 0,
        min_uptime: 100,
        max_restarts: 1000,
      },
      done,
    ),
  );
  const bus = await call<{
    on(event: string, listener: (packet: { event: string; process: { name: string } }) => void): void;
  }>((done) => pm2.launchBus(done as never));
  const restarts: number[] = [];
  for (let i = 0; i < CRASHES; i++) {
    await sleep(SETTLE_MS);
    const [described] = await call<Array<{ pid?: number }>>((done) => pm2.describe('crash', done as never));
    const online = new Promise<void>((resolve) =>
      bus.on('process:event', (packet) => {
        if (packet.event === 'online' && packet.process.name === 'crash') resolve();
      }),
    );
    const killed = performance.now();
    process.kill(described!.pid!, 'SIGKILL');
    await online;
    restarts.push(performance.now() - killed);
  }
  const daemonPid = Number(readFileSync(join(home, 'pm2.pid'), 'utf8'));
  return {
    restartMs: median(restarts),
    rss: rssMb(daemonPid),
    // Disconnected first, then the daemon stopped by its own SIGTERM handler (it stops its apps): after
    // killDaemon, pm2's sockets would see the daemon go and retry forever, and the bench would never exit.
    shutdown: async () => {
      await new Promise<void>((resolve) => (pm2.disconnect as (done: () => void) => void)(resolve));
      process.kill(daemonPid, 'SIGTERM');
      while (alive(daemonPid)) await sleep(50);
    },
  };
}

const bench: BenchPart = async (report) => {
  const ourSide = await ours(report);
  const ourBackend = await backendRss();
  const theirs = await pm2Side();
  const emptyNode = await emptyNodeRss();
  report.add({
    area: 'programs',
    name: 'restart_ms',
    value: ourSide.restartMs,
    unit: 'ms',
    note: `median of ${CRASHES} SIGKILLs, backoff 0`,
  });
  report.add({ area: 'programs', name: 'pm2_restart_ms', value: theirs.restartMs, unit: 'ms' });
  report.add({
    area: 'programs',
    name: 'restart_vs_pm2',
    value: theirs.restartMs / ourSide.restartMs,
    unit: 'x',
    note: "pm2's / ours, target ≥ 1",
  });
  report.add({
    area: 'programs',
    name: 'rss_mb_50',
    value: ourBackend.rss,
    unit: 'MB',
    note: 'the headless backend process (out/main/server.js), as pm2 is measured by its daemon',
  });
  report.add({
    area: 'programs',
    name: 'pm2_rss_mb_50',
    value: theirs.rss,
    unit: 'MB',
    note: "pm2's daemon",
  });
  report.add({
    area: 'programs',
    name: 'rss_vs_pm2',
    value: theirs.rss / ourBackend.rss,
    unit: 'x',
    note: "pm2's / ours, target ≥ 1.5",
  });
  report.add({
    area: 'programs',
    name: 'empty_node_rss_mb',
    value: emptyNode,
    unit: 'MB',
    note: 'node -e "setInterval(() => {}, 1000)" on the same binary',
  });
  report.add({
    area: 'programs',
    name: 'rss_vs_pm2_ceiling',
    value: theirs.rss / emptyNode,
    unit: 'x',
    note: "pm2's / an empty Node: rss_vs_pm2 of a backend that used no memory of its own",
  });
  await theirs.shutdown();
  await ourBackend.shutdown();
};
export default bench;
