// Importers, on files written from each tool's documented format: what maps over, what is listed as
// not imported, and that the result loads as a stack file.
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../electron/core/programs/import';
import { describeProblems, parseStack, type Stack } from '../../../electron/core/programs/load';
import { ProctorService } from '../../../electron/core/service';

const EXAMPLES = join(import.meta.dirname, 'import-examples');

/** A copy outside the repository, where the user's files would be (no package.json of ours above them). */
function example(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'proctor-import-'));
  cpSync(join(EXAMPLES, name), join(dir, name));
  return join(dir, name);
}

async function imported(name: string) {
  const file = example(name);
  const result = await importFile(file);
  const parsed = parseStack(result.yaml, join(file, '..', 'proctor.yaml'));
  if (!parsed.ok) throw new Error(describeProblems(parsed.problems));
  const notes = result.notes.map((note) => `${note.program ?? '-'} ${note.key}`);
  return {
    ...result,
    stack: parsed.stack as Stack,
    notes,
    messages: result.notes.map((note) => note.message),
  };
}

describe('importers', () => {
  it('process-compose: conditions, probes, availability, shutdown, replicas; the rest listed', async () => {
    const { format, stack, notes } = await imported('process-compose.yaml');
    expect(format).toBe('process-compose');
    expect(stack.orderedShutdown).toBe(true);
    const [db, migrate, api, logs] = ['db', 'migrate', 'api', 'logs'].map((name) =>
      stack.programs.get(name)!,
    );
    expect(db!.cwd).toMatch(/proctor-import-\w+\/db$/);
    expect(db!.def.readiness_probe).toMatchObject({
      exec: { command: 'pg_isready -h 127.0.0.1' },
      initial_delay: 2000,
      period: 10_000,
      timeout: 5000,
    });
    expect(migrate!.def.depends_on).toEqual({ db: { condition: 'healthy' } });
    expect(api!.def.depends_on).toEqual({ migrate: { condition: 'completed_successfully' } });
    expect(api!.def.readiness_probe?.http_get).toEqual({ url: 'http://127.0.0.1:8080/health' });
    expect(api!.def.liveness_probe).toMatchObject({ period: 5000 });
    expect(api!.def.restart).toMatchObject({ policy: 'on-failure', backoff: 2000, max_restarts: 5 });
    expect(api!.def.stop).toEqual({ signal: 'SIGTERM', grace: 4000, command: 'sleep 2 && pkill -f api' });
    expect(api!.def.success_exit_codes).toEqual([0, 2]);
    expect(api!.env).toEqual({ ABC: '222', LOCAL_ENV: '12345' });
    expect(logs!.def.replicas).toBe(2);
    expect(notes).toEqual([
      'db is_tty',
      'migrate availability.restart',
      'logs namespace',
      '- log_level',
      '- log_length',
    ]);
  });

  it('Procfile: one program a line, run by the shell', async () => {
    const { format, stack, notes } = await imported('Procfile');
    expect(format).toBe('procfile');
    expect([...stack.programs.values()].map((p) => [p.name, p.def.command])).toEqual([
      ['web', 'bundle exec rails server -p $PORT'],
      ['worker', 'bundle exec rake jobs:work'],
      ['release', './release-tasks.sh'],
    ]);
    expect(notes).toEqual([]);
  });

  it('pm2 ecosystem.config.js, evaluated in a child Node process', async () => {
    const { format, stack, notes, messages } = await imported('ecosystem.config.js');
    expect(format).toBe('pm2');
    const app1 = stack.programs.get('app1')!;
    const worker = stack.programs.get('worker')!;
    expect(app1.def).toMatchObject({ command: ['node', './app.js'], replicas: 4, rss_limit: { mb: 300 } });
    expect(app1.env).toEqual({ NODE_ENV: 'development' });
    expect(worker.def.command).toEqual(['python3', 'worker.py', '--queue', 'jobs']);
    expect(worker.def.restart).toMatchObject({
      policy: 'never',
      min_uptime: 10_000,
      max_restarts: 5,
      backoff: 4000,
    });
    expect(worker.def.stop.grace).toBe(3000);
    expect(worker.def.success_exit_codes).toEqual([0, 3]);
    expect(notes).toEqual(['app1 exec_mode', 'app1 env_production', 'app1 watch', 'worker cron_restart']);
    expect(messages[0]).toContain('there is no cluster mode');
  });

  it('pm2 ecosystem.json: an instance count it cannot honour is said in words', async () => {
    const { stack, notes, messages } = await imported('ecosystem.json');
    expect(stack.programs.get('api')!.def).toMatchObject({
      command: ['node', 'server.js', '--port', '3000'],
      rss_limit: { mb: 1024 },
    });
    expect(notes).toEqual(['api instances']);
    expect(messages[0]).toBe(
      'api.instances was not imported: "max" is not a count: give a number of replicas',
    );
  });

  it('supervisord .conf: [program:x] sections; its own sections and logging keys are listed', async () => {
    const { format, stack, notes } = await imported('supervisord.conf');
    expect(format).toBe('supervisord');
    const cat = stack.programs.get('cat')!;
    expect(cat.def).toMatchObject({
      command: '/bin/cat',
      autostart: true,
      success_exit_codes: [0, 2],
      restart: { policy: 'on-failure', min_uptime: 10_000, max_restarts: 3 },
      stop: { signal: 'SIGINT', grace: 10_000 },
    });
    expect(cat.cwd).toBe('/tmp');
    expect(cat.env).toEqual({ A: '1', B: 'two words' });
    expect(stack.programs.get('workers')!.def).toMatchObject({
      command: 'python3 worker.py --id $PROCTOR_REPLICA',
      replicas: 3,
      restart: { policy: 'never' },
    });
    expect(notes).toEqual([
      '- [unix_http_server]',
      '- [supervisord]',
      'cat priority',
      'cat user',
      'cat umask',
      'cat redirect_stderr',
      'cat stdout_logfile',
    ]);
  });

  it('programs:import writes proctor.yaml beside the file, never over an existing one', async () => {
    const file = example('Procfile');
    const service = new ProctorService({ version: 'test', transport: 'websocket' });
    const written = await service.invoke('programs:import', { file, write: true });
    const target = join(file, '..', 'proctor.yaml');
    expect(written).toMatchObject({ ok: true, value: { format: 'procfile', written: target } });
    expect(readFileSync(target, 'utf8')).toContain('# Imported from Procfile (procfile) by Proctor.');
    const again = await service.invoke('programs:import', { file, write: true });
    expect(again).toMatchObject({ ok: false, error: { code: 'E_STATE' } });
    const broken = join(file, '..', 'ecosystem.config.js');
    writeFileSync(broken, 'throw new Error("no apps here")');
    const failed = await service.invoke('programs:import', { file: broken });
    expect(failed).toMatchObject({ ok: false, error: { code: 'E_IMPORT' } });
    expect(!failed.ok && failed.error.message).toContain('no apps here');
    expect(existsSync(join(file, '..', 'nothing'))).toBe(false);
    await service.shutdown('terminate');
  });
});
