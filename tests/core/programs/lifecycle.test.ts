// A stack's life with real processes: liveness restarts, success exit codes, replicas, the family RSS
// limit, ordered shutdown with stop commands and signals, and a reload that moves only what changed.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Monitor } from '../../../electron/core/monitor';
import { waitFor } from '../supervisor/helpers';
import { nodeCommand, orchestrators, program, stackFrom, until } from './helpers';
import { supervisedOf } from '../../../electron/core/supervised';

const make = orchestrators();

describe('a running stack', () => {
  it('a liveness probe that starts failing restarts the program by its policy', async () => {
    const { orchestrator } = make();
    const dir = mkdtempSync(join(tmpdir(), 'proctor-live-'));
    const alive = join(dir, 'alive');
    writeFileSync(alive, '');
    await orchestrator.apply(
      stackFrom(
        `
programs:
  worker:
    command: [sleep, '1000']
    restart: { policy: on-failure, backoff: 0 }
    liveness_probe: { exec: { command: 'test -f ${alive}' }, period: 100ms, failure_threshold: 2 }
`,
        dir,
      ),
    );
    const first = await until(orchestrator, 'worker', (info) => info.state === 'running');
    // Healthy checks pass for a while and restart nothing.
    await waitFor(() => (program(orchestrator, 'worker').probes.liveness?.length ?? 0) >= 3, 15_000, 50);
    expect(program(orchestrator, 'worker')).toMatchObject({ pid: first.pid, restarts: 0 });

    rmSync(alive);
    const restarted = await until(
      orchestrator,
      'worker',
      (info) => info.restarts === 1 && info.state === 'running',
    );
    expect(restarted.pid).not.toBe(first.pid);
    expect(restarted.reason).toMatchObject({
      code: 'liveness_failed',
      params: { failures: 2, detail: 'exit 1' },
    });
  });

  it('success_exit_codes: exit 3 is a success, so on-failure does not restart and completed_successfully is met', async () => {
    const { orchestrator } = make();
    await orchestrator.apply(
      stackFrom(`
programs:
  job:
    command: 'exit 3'
    success_exit_codes: [0, 3]
    restart: { policy: on-failure, backoff: 0 }
  after:
    command: [sleep, '1000']
    depends_on: { job: { condition: completed_successfully } }
  strict:
    command: 'exit 3'
    restart: { policy: on-failure, backoff: 0, max_restarts: 2 }
`),
    );
    await until(orchestrator, 'after', (info) => info.state === 'running');
    expect(program(orchestrator, 'job')).toMatchObject({ state: 'exited', exitcode: 3, restarts: 0 });
    // Without the list, 3 is a failure: restarted until fatal.
    const strict = await until(orchestrator, 'strict', (info) => info.state === 'fatal');
    expect(strict.restarts).toBe(2);
  });

  it('replicas: N copies, each with PROCTOR_REPLICA=i', async () => {
    const { orchestrator, supervisor } = make();
    await orchestrator.apply(
      stackFrom(`
programs:
  w:
    command: 'echo replica $PROCTOR_REPLICA; exec sleep 1000'
    replicas: 3
`),
    );
    const names = ['w-0', 'w-1', 'w-2'];
    const printed = (name: string) => {
      const info = program(orchestrator, name);
      return info.childId !== null && supervisor.get(info.childId)!.output.lines().length > 0 && info;
    };
    const infos = await Promise.all(names.map((name) => waitFor(() => printed(name), 15_000, 25)));
    expect(infos.map((info) => [info.program, info.replica])).toEqual([
      ['w', 0],
      ['w', 1],
      ['w', 2],
    ]);
    expect(new Set(infos.map((info) => info.pid)).size).toBe(3);
    expect(infos.map((info) => supervisor.get(info.childId!)!.output.lines()[0]!.text)).toEqual([
      'replica 0',
      'replica 1',
      'replica 2',
    ]);
    await orchestrator.stop(['w-1']);
    expect(program(orchestrator, 'w-1').state).toBe('exited');
    expect(program(orchestrator, 'w-0').state).toBe('running');
  });

  it('the RSS limit restarts a program whose family grows past it', async () => {
    const { orchestrator, supervisor } = make();
    const monitor = new Monitor({
      intervalMs: 250,
      supervised: supervisedOf(supervisor),
    });
    monitor.on('delta', () => orchestrator.sampleFamilies(monitor.snapshot().rows));
    // The memory is held by a grandchild: only the family's sum sees it.
    const grow =
      'const keep = []; setInterval(() => { if (keep.length < 40) keep.push(Buffer.alloc(4 << 20, 1)); }, 25)';
    await orchestrator.apply(
      stackFrom(`
programs:
  leaky:
    command: 'sleep 0.5 && ${process.execPath} -e "${grow}" & wait'
    rss_limit: { mb: 100, ticks: 2 }
    stop: { grace: 1s }
`),
    );
    monitor.start();
    try {
      const first = await until(orchestrator, 'leaky', (info) => info.state === 'running');
      const restarted = await until(orchestrator, 'leaky', (info) => info.restarts === 1);
      expect(restarted.reason).toMatchObject({ code: 'rss_limit', params: { limitMb: 100, ticks: 2 } });
      expect((restarted.reason!.params as { rssMb: number }).rssMb).toBeGreaterThan(100);
      const again = await until(orchestrator, 'leaky', (info) => info.state === 'running');
      expect(again.pid).not.toBe(first.pid);
    } finally {
      monitor.stop();
    }
  });

  it('ordered shutdown stops dependents first, running stop commands before the stop signal', async () => {
    const { orchestrator, supervisor } = make();
    const dir = mkdtempSync(join(tmpdir(), 'proctor-order-'));
    const log = join(dir, 'log');
    // Each records the signal it got; SIGINT is what db asks for.
    const program_ = (name: string, extra: string) => `
  ${name}:
    command: ${nodeCommand(`for (const s of ['SIGTERM', 'SIGINT']) process.on(s, () => { require('fs').appendFileSync('${log}', '${name} ' + s + ' ' + Date.now() + '\\n'); process.exit(0); }); console.log('up'); setInterval(() => {}, 1000)`)}
    ${extra}`;
    await orchestrator.apply(
      stackFrom(
        `
ordered_shutdown: true
programs:${program_('db', "stop: { signal: SIGINT, command: 'echo db stop-command >> " + log + "' }")}${program_('api', 'depends_on: [db]')}${program_('web', 'depends_on: [api]')}
`,
        dir,
      ),
    );
    // Up means its handlers are installed, so the signal is recorded rather than fatal.
    await waitFor(
      () =>
        supervisor.children().every((child) => child.output.lines().length > 0) &&
        supervisor.children().length === 3,
      15_000,
      25,
    );
    await orchestrator.shutdown();
    const lines = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(' '));
    expect(lines.map(([name, what]) => `${name} ${what}`)).toEqual([
      'web SIGTERM',
      'api SIGTERM',
      'db stop-command',
      'db SIGINT',
    ]);
  });

  it('a reload with one changed program restarts that one alone; the others keep their pids', async () => {
    const { orchestrator } = make();
    const dir = mkdtempSync(join(tmpdir(), 'proctor-reload-'));
    const file = (webCommand: string, extra = '') => `
programs:
  db: { command: [sleep, '1000'] }
  web: { command: ${webCommand}, depends_on: [db] }
  worker: { command: [sleep, '1001'] }
${extra}`;
    await orchestrator.apply(stackFrom(file("[sleep, '1000']", '  old: { command: [sleep, "1000"] }'), dir));
    const before = await Promise.all(
      ['db', 'web', 'worker', 'old'].map((name) =>
        until(orchestrator, name, (info) => info.state === 'running'),
      ),
    );
    const summary = await orchestrator.apply(
      stackFrom(file("[sleep, '999']", '  fresh: { command: [sleep, "1000"] }'), dir),
    );
    expect(summary).toEqual({ added: ['fresh'], removed: ['old'], changed: ['web'] });
    const web = await until(orchestrator, 'web', (info) => info.state === 'running');
    await until(orchestrator, 'fresh', (info) => info.state === 'running');
    expect(web.pid).not.toBe(before[1]!.pid);
    expect(program(orchestrator, 'db').pid).toBe(before[0]!.pid);
    expect(program(orchestrator, 'worker').pid).toBe(before[2]!.pid);
    expect(orchestrator.list().map((info) => info.name)).toEqual(['db', 'web', 'worker', 'fresh']);
    expect(existsSync(`/proc/${before[3]!.pid}`)).toBe(false);
  });

  it('a program whose exited child was removed from the list starts again with a new child, and shuts down cleanly', async () => {
    const { orchestrator, supervisor } = make();
    await orchestrator.apply(stackFrom(`programs:\n  job: { command: [sleep, '1000'] }\n`));
    const first = await until(orchestrator, 'job', (info) => info.state === 'running');
    await orchestrator.stop(['job']);
    // What the Supervised list's "Remove" (or the keepExited pruning) does to an exited child.
    supervisor.remove(first.childId!);
    orchestrator.start(['job']);
    const second = await until(
      orchestrator,
      'job',
      (info) => info.state === 'running' && info.pid !== first.pid,
    );
    expect(second.childId).not.toBe(first.childId);
    expect(supervisor.get(second.childId!)?.state).toBe('running');
    await orchestrator.stop(['job']);
    supervisor.remove(second.childId!);
    await expect(orchestrator.shutdown()).resolves.toBeUndefined();
  });

  it('what others wait for is launched first, whatever its place in the file', async () => {
    const { orchestrator } = make();
    const independents = ['a1', 'a2', 'a3', 'a4'].map((name) => `  ${name}: { command: [sleep, '1000'] }`);
    await orchestrator.apply(
      stackFrom(
        [
          'programs:',
          ...independents,
          `  web: { command: [sleep, '1000'], depends_on: [db] }`,
          `  db: { command: [sleep, '1000'] }`,
        ].join('\n'),
      ),
    );
    for (const name of ['web', 'a1', 'a2', 'a3', 'a4'])
      await until(orchestrator, name, (info) => info.state === 'running');
    const serial = (name: string) => Number(program(orchestrator, name).childId!.slice(1));
    for (const name of ['a1', 'a2', 'a3', 'a4']) expect(serial('db')).toBeLessThan(serial(name));
  });

  it('a dependent released while independent programs still wait for their launch goes before them', async () => {
    const { orchestrator } = make();
    // One launch per turn of the event loop: db's report that it runs comes while most of these still wait.
    const independents = Array.from({ length: 30 }, (_, i) => `a${i}`);
    await orchestrator.apply(
      stackFrom(
        [
          'programs:',
          `  db: { command: [sleep, '1000'] }`,
          `  web: { command: [sleep, '1000'], depends_on: { db: { condition: started } } }`,
          ...independents.map((name) => `  ${name}: { command: [sleep, '1000'] }`),
        ].join('\n'),
      ),
    );
    for (const name of ['web', ...independents])
      await until(orchestrator, name, (info) => info.state === 'running');
    const serial = (name: string) => Number(program(orchestrator, name).childId!.slice(1));
    expect(serial('web')).toBeLessThan(Math.max(...independents.map(serial)));
  });
});
