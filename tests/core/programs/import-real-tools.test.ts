// Importers against the real tools: one file run by supervisord (Debian's `supervisor`) or pm2 (a dev
// dependency) and imported into Proctor; the imported stack must start what the tool starts — the same
// commands, replicas, working directory and environment, read from /proc of each one's processes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProctorService } from '../../../electron/core/service';

interface Seen {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
}

/**
 * What a program's process runs, where and with which of the file's variables. A `sh -c` that did not
 * exec its command is looked through to its one child; argv[0] is compared by name (pm2 resolves it
 * on PATH, exec does the same).
 */
function seen(pid: number): Seen {
  const argvOf = (p: number) => readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').slice(0, -1);
  let own = pid;
  if (argvOf(pid)[0]?.endsWith('sh')) {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ');
    if (children.length === 1 && children[0]) own = Number(children[0]);
  }
  const [program, ...args] = argvOf(own);
  const env = Object.fromEntries(
    readFileSync(`/proc/${own}/environ`, 'utf8')
      .split('\0')
      .filter((entry) => entry.startsWith('GREETING=') || entry.startsWith('LEVEL='))
      .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
  );
  return { argv: [basename(program!), ...args], cwd: readlinkSync(`/proc/${own}/cwd`), env };
}

const sorted = (all: Seen[]) => [...all].sort((a, b) => a.argv.join(' ').localeCompare(b.argv.join(' ')));

async function until<T>(read: () => T | Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let tries = 0; tries < 100 && !done(value); tries++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

/** The file imported, written as proctor.yaml beside it, loaded and running: what each program runs. */
async function runImported(service: ProctorService, file: string): Promise<Seen[]> {
  const imported = await service.invoke('programs:import', { file, write: true });
  if (!imported.ok) throw new Error(imported.error.message);
  const loaded = await service.invoke('programs:load', { file: imported.value.written! });
  if (!loaded.ok) throw new Error(loaded.error.message);
  const pids = async (): Promise<(number | null)[]> => {
    const listed = await service.invoke('programs:list', {});
    if (!listed.ok) throw new Error(listed.error.message);
    return listed.value.map((unit) => unit.pid);
  };
  const running = await until(pids, (all) => !all.includes(null));
  return running.map((pid) => seen(pid!));
}

const tool = (command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(command, args, { cwd, env, encoding: 'utf8' });

describe('an imported file starts what its own tool starts', () => {
  let service: ProctorService;
  let stopTool: () => Promise<void> = () => Promise.resolve();
  afterEach(async () => {
    await stopTool();
    await service.shutdown('terminate');
  });

  it('supervisord: the same commands, replicas, working directory and environment', async () => {
    service = new ProctorService({ version: 'test', transport: 'websocket' });
    const dir = mkdtempSync(join(tmpdir(), 'proctor-supervisord-'));
    const work = mkdtempSync(join(tmpdir(), 'proctor-supervisord-work-'));
    const conf = join(dir, 'supervisord.conf');
    writeFileSync(
      conf,
      `; Written from supervisord's configuration docs, runnable by supervisord itself.
[unix_http_server]
file=${dir}/supervisor.sock

[supervisord]
logfile=${dir}/supervisord.log
pidfile=${dir}/supervisord.pid
childlogdir=${dir}

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://${dir}/supervisor.sock

[program:greeter]
command=sleep 600
directory=${work}
startsecs=0
environment=GREETING="hello world",LEVEL="3"

[program:workers]
command=sleep 61%(process_num)s
process_name=%(program_name)s_%(process_num)02d
numprocs=2
startsecs=0
autorestart=false
`,
    );
    // Started in its config's folder, as `supervisord -n -c supervisord.conf` in a project is: a program
    // without `directory` runs where supervisord runs, and the imported one beside the file.
    const supervisord: ChildProcess = spawn('supervisord', ['-n', '-c', conf], { cwd: dir, stdio: 'ignore' });
    stopTool = async () => {
      supervisord.kill('SIGTERM');
      if (supervisord.exitCode === null) await new Promise((resolve) => supervisord.once('exit', resolve));
    };
    // "workers:workers_00   RUNNING   pid 123, uptime 0:00:01"
    const status = await until(
      () => tool('supervisorctl', ['-c', conf, 'status'], dir).stdout.trim().split('\n'),
      (lines) => lines.length === 3 && lines.every((line) => line.includes('RUNNING')),
    );
    const theirs = status.map((line) => seen(Number(/pid (\d+)/.exec(line)![1])));

    const ours = sorted(await runImported(service, conf));
    expect(sorted(theirs)).toEqual(ours);
    expect(ours.map((s) => s.argv.join(' '))).toEqual(['sleep 600', 'sleep 610', 'sleep 611']);
    expect(ours[0]).toMatchObject({ cwd: work, env: { GREETING: 'hello world', LEVEL: '3' } });
  }, 30_000);

  it('pm2: the same commands, instances, working directory and environment', async () => {
    service = new ProctorService({ version: 'test', transport: 'websocket' });
    const dir = mkdtempSync(join(tmpdir(), 'proctor-pm2-'));
    const work = mkdtempSync(join(tmpdir(), 'proctor-pm2-work-'));
    const file = join(dir, 'ecosystem.config.js');
    writeFileSync(
      file,
      `// Written from pm2's application declaration docs, runnable by pm2 itself.
module.exports = {
  apps: [
    { name: 'greeter', script: 'sleep', args: '600', cwd: ${JSON.stringify(work)}, env: { GREETING: 'hello world', LEVEL: '3' } },
    { name: 'workers', script: 'sleep', args: ['610'], instances: 2, autorestart: false },
  ],
};
`,
    );
    // A daemon of its own for this test, started from the file's folder as `pm2 start` in a project is.
    const pm2 = join(import.meta.dirname, '..', '..', '..', 'node_modules', '.bin', 'pm2');
    const env = { ...process.env, PM2_HOME: join(dir, 'pm2-home') };
    stopTool = () => Promise.resolve(void tool(pm2, ['kill'], dir, env));
    expect(tool(pm2, ['start', file], dir, env).status).toBe(0);
    const listed = await until(
      () => JSON.parse(tool(pm2, ['jlist'], dir, env).stdout) as { pid: number }[],
      (apps) => apps.length === 3 && apps.every((app) => app.pid > 0),
    );
    const theirs = listed.map((app) => seen(app.pid));

    const ours = sorted(await runImported(service, file));
    expect(sorted(theirs)).toEqual(ours);
    expect(ours.map((s) => s.argv.join(' '))).toEqual(['sleep 600', 'sleep 610', 'sleep 610']);
    expect(ours[0]).toMatchObject({ cwd: work, env: { GREETING: 'hello world', LEVEL: '3' } });
  }, 30_000);
});
