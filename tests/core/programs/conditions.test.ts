// Each dependency condition and probe kind with real processes: the order is read from startedAt and
// exitedAt, and a dependent that can never start is blocked with its reason and never runs.
import { describe, expect, it } from 'vitest';
import type { ProgramInfo } from '../../../shared/model';
import { freePort, nodeCommand, orchestrators, program, stackFrom, until } from './helpers';

const make = orchestrators();

function outputOf(supervisor: ReturnType<typeof make>['supervisor'], info: ProgramInfo): string[] {
  return info.childId === null
    ? []
    : supervisor
        .get(info.childId)!
        .output.lines()
        .map((line) => line.text);
}

/** The epoch ms a program printed after `marker ` on its output. */
function printedAt(
  supervisor: ReturnType<typeof make>['supervisor'],
  info: ProgramInfo,
  marker: string,
): number {
  const line = outputOf(supervisor, info).find((text) => text.startsWith(`${marker} `));
  if (!line) throw new Error(`${info.name} never printed ${marker}`);
  return Number(line.slice(marker.length + 1));
}

/** Probe checks never start closer together than the period (a little timer slack allowed). */
function expectPaced(info: ProgramInfo, periodMs: number): void {
  const at = (info.probes.readiness ?? []).map((result) => result.at);
  for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(periodMs - 5);
}

describe('dependency conditions gate the start of dependents', () => {
  it('healthy on a TCP probe: the client starts only after the server listens', async () => {
    const { orchestrator, supervisor } = make();
    const port = await freePort();
    const server = `setTimeout(() => require('net').createServer((s) => s.end()).listen(${port}, '127.0.0.1', () => console.log('listening ' + Date.now())), 400)`;
    await orchestrator.apply(
      stackFrom(`
programs:
  db:
    command: ${nodeCommand(server)}
    readiness_probe: { tcp_socket: { port: ${port} }, period: 100ms, timeout: 500ms }
  client:
    command: [sleep, '1000']
    depends_on: { db: { condition: healthy } }
`),
    );
    const waiting = await until(orchestrator, 'client', (info) => info.state === 'waiting');
    expect(waiting.reason?.text).toBe('waiting for db: healthy');
    const client = await until(orchestrator, 'client', (info) => info.state === 'running');
    const db = program(orchestrator, 'db');
    expect(db.state).toBe('healthy');
    expect(client.startedAt!).toBeGreaterThanOrEqual(printedAt(supervisor, db, 'listening'));
    const readiness = db.probes.readiness!;
    expect(readiness[0]).toMatchObject({ ok: false, detail: 'ECONNREFUSED' });
    expect(readiness.at(-1)).toMatchObject({ ok: true, detail: `connected to 127.0.0.1:${port}` });
    expectPaced(db, 100);
  });

  it('healthy on an HTTP probe: 503 for the first two requests, then 200 twice lets the dependent start', async () => {
    const { orchestrator, supervisor } = make();
    const port = await freePort();
    const server = `let asked = 0; require('http').createServer((q, r) => { if (++asked === 3) console.log('warm ' + Date.now()); r.statusCode = asked >= 3 ? 200 : 503; r.end(); }).listen(${port}, '127.0.0.1')`;
    await orchestrator.apply(
      stackFrom(`
programs:
  api:
    command: ${nodeCommand(server)}
    readiness_probe:
      http_get: { url: 'http://127.0.0.1:${port}/health' }
      period: 100ms
      success_threshold: 2
  web:
    command: [sleep, '1000']
    depends_on: { api: { condition: healthy } }
`),
    );
    const web = await until(orchestrator, 'web', (info) => info.state === 'running');
    const api = program(orchestrator, 'api');
    expect(web.startedAt!).toBeGreaterThanOrEqual(printedAt(supervisor, api, 'warm'));
    const details = api.probes.readiness!.map((result) => result.detail);
    expect(details).toContain('HTTP 503');
    expect(details.slice(-2)).toEqual(['HTTP 200', 'HTTP 200']);
    expectPaced(api, 100);
  });

  it('completed_successfully: the app starts after the migration exited 0', async () => {
    const { orchestrator } = make();
    await orchestrator.apply(
      stackFrom(`
programs:
  migrate: { command: 'sleep 0.3; echo migrated' }
  app:
    command: [sleep, '1000']
    depends_on: { migrate: { condition: completed_successfully } }
`),
    );
    const app = await until(orchestrator, 'app', (info) => info.state === 'running');
    const migrate = program(orchestrator, 'migrate');
    expect(migrate).toMatchObject({ state: 'exited', exitcode: 0 });
    expect(app.startedAt!).toBeGreaterThanOrEqual(migrate.exitedAt!);
  });

  it('log_ready: the consumer starts after the producer printed its ready line', async () => {
    const { orchestrator, supervisor } = make();
    await orchestrator.apply(
      stackFrom(`
programs:
  queue:
    command: ${nodeCommand("console.log('booting'); setTimeout(() => console.log('ready ' + Date.now()), 300); setInterval(() => {}, 1000)")}
    ready_log_line: '^ready '
  consumer:
    command: [sleep, '1000']
    depends_on: { queue: { condition: log_ready } }
`),
    );
    const consumer = await until(orchestrator, 'consumer', (info) => info.state === 'running');
    expect(consumer.startedAt!).toBeGreaterThanOrEqual(
      printedAt(supervisor, program(orchestrator, 'queue'), 'ready'),
    );
  });

  it('healthy on a log line probe: the line a run prints after its start passes it', async () => {
    const { orchestrator } = make();
    await orchestrator.apply(
      stackFrom(`
programs:
  worker:
    command: ${nodeCommand("setTimeout(() => console.log('listening on 8080'), 300); setInterval(() => {}, 1000)")}
    readiness_probe: { log_line: '^listening on \\d+$' }
`),
    );
    const worker = await until(orchestrator, 'worker', (info) => info.state === 'healthy');
    expect(worker.probes.readiness?.at(-1)).toMatchObject({ ok: true, detail: 'matched: listening on 8080' });
  });

  it('started and completed: independent programs start together, the report after the job ended', async () => {
    const { orchestrator } = make();
    await orchestrator.apply(
      stackFrom(`
programs:
  a: { command: [sleep, '1000'] }
  b: { command: [sleep, '1000'] }
  job: { command: 'sleep 0.2; exit 4', depends_on: [a, b] }
  report:
    command: [sleep, '1000']
    depends_on: { job: { condition: completed } }
`),
    );
    const report = await until(orchestrator, 'report', (info) => info.state === 'running');
    const [a, b, job] = ['a', 'b', 'job'].map((name) => program(orchestrator, name));
    expect(Math.abs(a!.startedAt! - b!.startedAt!)).toBeLessThan(1000);
    expect(job!.startedAt!).toBeGreaterThanOrEqual(Math.max(a!.startedAt!, b!.startedAt!));
    expect(job!.exitcode).toBe(4);
    expect(report.startedAt!).toBeGreaterThanOrEqual(job!.exitedAt!);
  });

  it('a failed migration blocks its dependents, which never start and print nothing', async () => {
    const { orchestrator, supervisor } = make();
    await orchestrator.apply(
      stackFrom(`
programs:
  migrate: { command: 'echo failing; exit 3' }
  app:
    command: 'echo app ran'
    depends_on: { migrate: { condition: completed_successfully } }
  worker:
    command: 'echo worker ran'
    depends_on: { app: { condition: started } }
`),
    );
    const app = await until(orchestrator, 'app', (info) => info.state === 'blocked');
    expect(app.reason).toMatchObject({
      code: 'dependency_ended',
      params: { dependency: 'migrate', condition: 'completed_successfully', exitcode: 3 },
      text: 'migrate ended (exitcode 3) and can no longer be completed_successfully',
    });
    const worker = await until(orchestrator, 'worker', (info) => info.state === 'blocked');
    expect(worker.reason).toMatchObject({ code: 'dependency_blocked', text: 'app is blocked' });
    for (const info of [app, worker]) {
      expect(info).toMatchObject({ pid: null, startedAt: null, childId: null });
      expect(outputOf(supervisor, info)).toEqual([]);
    }
  });

  it('a disabled dependency blocks its dependent', async () => {
    const { orchestrator } = make();
    await orchestrator.apply(
      stackFrom(`
programs:
  cache: { command: [sleep, '1000'], disabled: true }
  web: { command: [sleep, '1000'], depends_on: [cache] }
`),
    );
    const web = await until(orchestrator, 'web', (info) => info.state === 'blocked');
    expect(web.reason?.text).toBe('cache is disabled');
    expect(program(orchestrator, 'cache').state).toBe('disabled');
  });
});
