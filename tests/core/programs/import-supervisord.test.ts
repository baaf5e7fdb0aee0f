// The supervisord importer against the real supervisord (Debian's `supervisor`): one config file run by
// both, and the imported stack must start what supervisord starts — the same commands, replicas, working
// directory and environment, read from /proc of each tool's processes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProctorService } from '../../../electron/core/service';

interface Seen {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
}

/** The program's own process: a `sh -c` that did not exec its command is looked through to its one child. */
function seen(pid: number): Seen {
  const argvOf = (p: number) => readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').slice(0, -1);
  let own = pid;
  if (argvOf(pid)[0]?.endsWith('sh')) {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ');
    if (children.length === 1 && children[0]) own = Number(children[0]);
  }
  const env = Object.fromEntries(
    readFileSync(`/proc/${own}/environ`, 'utf8')
      .split('\0')
      .filter((entry) => entry.startsWith('GREETING=') || entry.startsWith('LEVEL='))
      .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
  );
  return { argv: argvOf(own), cwd: readlinkSync(`/proc/${own}/cwd`), env };
}

const byArgv = (a: Seen, b: Seen) => a.argv.join(' ').localeCompare(b.argv.join(' '));

describe('a supervisord config, run by supervisord and imported into Proctor', () => {
  const dir = mkdtempSync(join(tmpdir(), 'proctor-supervisord-'));
  const conf = join(dir, 'supervisord.conf');
  const work = mkdtempSync(join(tmpdir(), 'proctor-supervisord-work-'));
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
  let supervisord: ChildProcess | null = null;
  const service = new ProctorService({ version: 'test', transport: 'websocket' });
  afterAll(async () => {
    supervisord?.kill('SIGTERM');
    if (supervisord) await new Promise((resolve) => supervisord!.once('exit', resolve));
    await service.shutdown('terminate');
  });

  it('starts the same commands, replicas, working directory and environment', async () => {
    // Started in its config's folder, as `supervisord -n -c supervisord.conf` in a project is: a program
    // without `directory` runs where supervisord runs, and the imported one beside the file.
    supervisord = spawn('supervisord', ['-n', '-c', conf], { cwd: dir, stdio: 'ignore' });
    let statusLines: string[] = [];
    for (let tries = 0; tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const status = spawnSync('supervisorctl', ['-c', conf, 'status'], { encoding: 'utf8' });
      statusLines = status.stdout.trim().split('\n');
      if (statusLines.length === 3 && statusLines.every((line) => line.includes('RUNNING'))) break;
    }
    // "workers:workers_00   RUNNING   pid 123, uptime 0:00:01"
    const theirs = statusLines.map((line) => seen(Number(/pid (\d+)/.exec(line)![1])));

    const imported = await service.invoke('programs:import', { file: conf, write: true });
    if (!imported.ok) throw new Error(imported.error.message);
    const loaded = await service.invoke('programs:load', { file: imported.value.written! });
    if (!loaded.ok) throw new Error(loaded.error.message);
    const pids = async (): Promise<(number | null)[]> => {
      const listed = await service.invoke('programs:list', {});
      if (!listed.ok) throw new Error(listed.error.message);
      return listed.value.map((unit) => unit.pid);
    };
    let running = await pids();
    for (let tries = 0; tries < 100 && running.includes(null); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      running = await pids();
    }
    const ours = running.map((pid) => seen(pid!));

    expect(theirs.sort(byArgv)).toEqual(ours.sort(byArgv));
    expect(ours.map((s) => s.argv.join(' '))).toEqual(['sleep 600', 'sleep 610', 'sleep 611']);
    expect(ours[0]).toMatchObject({ cwd: work, env: { GREETING: 'hello world', LEVEL: '3' } });
  }, 30_000);
});
