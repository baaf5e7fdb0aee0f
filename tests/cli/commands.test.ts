// The real `proctor` binary against a real backend started by `proctor up`: every command a user types,
// its output and its exit status.
import { execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ChildInfo } from '../../shared/model';
import {
  BUILT_PROCTOR,
  ensureBuilt,
  freshSocket,
  isAlive,
  proctor,
  up,
  type UpBackend,
} from '../support/cli';
import { connectContract } from '../support/ws-client';

// Each test runs the binary many times, each a fresh Node process: generous on a machine shared by many.
vi.setConfig({ testTimeout: 180_000 });

let backend: UpBackend;
let socket: string;
const run = (...args: string[]) => proctor(socket, args);
/** Every `proctor` run starts a Node process: on a loaded machine that can take seconds. */
const patiently = { timeout: 20_000, interval: 200 };
const token = () => new URL(backend.url).searchParams.get('token')!;

beforeAll(async () => {
  ensureBuilt();
  socket = freshSocket();
  backend = await up(socket);
}, 120_000);

afterAll(() => {
  if (isAlive(backend.pid)) backend.process.kill('SIGKILL');
});

async function children(): Promise<ChildInfo[]> {
  const result = await run('ps', '--json');
  expect(result.status).toBe(0);
  // With no stack loaded every entry is an ad-hoc child.
  return JSON.parse(result.stdout) as ChildInfo[];
}

describe('proctor up', () => {
  it('prints the web URL with its token and serves the socket', async () => {
    expect(backend.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
    const listed = await run('ps');
    expect(listed).toMatchObject({ status: 0, stderr: '' });
    expect(listed.stdout).toMatch(/no programs and no supervised children/);
  });
});

describe('run, join, ps', () => {
  it('joins with the child exit status: 0, 7, and 143 for SIGTERM', async () => {
    const zero = await run('run', '--name', 'zero', '--', 'true');
    expect(zero.stdout).toMatch(/^started zero \(c\d+\), pid \d+$/m);
    expect((await run('join', 'zero')).status).toBe(0);

    await run('run', '--name', 'seven', '--', 'sh', '-c', 'exit 7');
    expect((await run('join', 'seven')).status).toBe(7);

    await run('run', '--name', 'termed', '--', 'sh', '-c', 'kill -TERM $$');
    expect((await run('join', 'termed')).status).toBe(143);
  });

  it('join --timeout gives up with 124 while the child runs', async () => {
    await run('run', '--name', 'slow', '--', 'sleep', '30');
    const joined = await run('join', 'slow', '--timeout', '0.2');
    expect(joined.status).toBe(124);
    expect(joined.stderr).toMatch(/slow \(c\d+\) is still running after 0\.2 s/);
    expect((await run('kill', 'slow')).status).toBe(0);
  });

  it('ps --json prints the children as children:list returns them; ps prints a table of the same children', async () => {
    const client = await connectContract(backend.url, token());
    const fromContract = await client.call('children:list', {});
    client.close();
    const fromCli = await children();
    expect(fromCli.map((c) => [c.id, c.name, c.state, c.exitcode])).toEqual(
      fromContract.map((c) => [c.id, c.name, c.state, c.exitcode]),
    );
    const table = (await run('ps')).stdout.split('\n');
    expect(table[0]).toMatch(/^NAME\s+ID\s+STATE\s+PID\s+RESTARTS\s+UPTIME\s+CPU\s+MEM$/);
    expect(table.find((line) => line.startsWith('seven '))).toMatch(/exited 7\s+-\s+0\s+-/);
    expect(table.find((line) => line.startsWith('termed '))).toMatch(/exited -15/);
  });

  it('ps --tree shows a running child with its family; ps --all the whole machine', async () => {
    await run('run', '--name', 'family', '--', 'sh', '-c', 'sleep 30 & wait');
    await vi.waitFor(
      async () => expect((await run('ps', '--tree')).stdout).toMatch(/└ sleep\s+S\s+\d+/),
      patiently,
    );
    const all = await run('ps', '--all');
    expect(all.stdout.split('\n')[0]).toMatch(/^PID\s+PGID\s+USER\s+CPU\s+MEM\s+MARK\s+COMMAND$/);
    expect(all.stdout).toMatch(/★ family\s+ {2,}sh -c sleep 30 & wait/);
    expect(JSON.parse((await run('ps', '--all', '--json')).stdout)).toHaveProperty('rows');
    await run('kill', 'family');
  });
});

describe('start, stop, restart, kill, signal', () => {
  it('stops, starts and restarts a child by name or id, keeping its id', async () => {
    await run('run', '--name', 'svc', '--', 'sleep', '60');
    const before = (await children()).find((c) => c.name === 'svc')!;
    expect(before.state).toBe('running');

    const stopped = await run('stop', 'svc');
    expect(stopped.stdout).toBe(`svc (${before.id}): exited -15, pid ${before.pid}\n`);
    expect(isAlive(before.pid!)).toBe(false);

    const started = await run('start', 'svc');
    expect(started.stdout).toMatch(new RegExp(`^svc \\(${before.id}\\): running, pid \\d+$`, 'm'));
    const again = (await children()).find((c) => c.id === before.id)!;
    expect(again.pid).not.toBe(before.pid);
    expect((await run('start', 'svc')).stdout).toMatch(/already running/);

    await run('restart', before.id);
    const restarted = (await children()).find((c) => c.id === before.id)!;
    expect(restarted).toMatchObject({ state: 'running', restarts: 2 });
    expect(isAlive(again.pid!)).toBe(false);

    expect((await run('signal', 'KILL', 'svc')).stdout).toMatch(/^SIGKILL sent to svc/);
    await vi.waitFor(
      async () => expect((await children()).find((c) => c.id === before.id)?.exitcode).toBe(-9),
      patiently,
    );
  });

  it('answers a name nobody has with E_NO_SUCH_CHILD and status 1; bad usage with 2', async () => {
    const missing = await run('stop', 'nobody-has-this-name');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(
      'proctor: E_NO_SUCH_CHILD: there is no program or supervised child with the id or name "nobody-has-this-name"\n',
    );
    expect((await run('signal', 'NOPE', 'svc')).status).toBe(2);
    expect((await run('frobnicate')).status).toBe(2);
    expect((await run('join', 'svc', '--timeout', 'soon')).status).toBe(2);
    expect((await run('logs', '--grep', '(')).status).toBe(2);
    expect((await run('run', '--restart', 'sometimes', '--', 'true')).status).toBe(2);
  });

  it('keeps the backend error code of a failed spawn', async () => {
    const failed = await run('run', '--', '/no/such/program');
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/^proctor: E_SPAWN_ENOENT: /);
  });

  it('has --help on every command', async () => {
    const commands = [
      'up',
      'down',
      'ps',
      'start',
      'stop',
      'restart',
      'kill',
      'signal',
      'run',
      'join',
      'logs',
    ];
    const all = [...commands, 'validate', 'import', 'lessons', 'startup', 'unstartup', 'completion'];
    const helps = await Promise.all(all.map((command) => run(command, '--help')));
    all.forEach((command, i) => {
      expect(helps[i]!.status, command).toBe(0);
      expect(helps[i]!.stdout, command).toMatch(new RegExp(`^Usage: proctor ${command}`));
    });
  });
});

describe('proctor logs', () => {
  it('prints the last lines under the child name, filtered by -n, --grep and --since', async () => {
    await run('run', '--name', 'talker', '--', 'sh', '-c', 'for i in 1 2 3 4 5; do echo line $i; done');
    expect((await run('join', 'talker')).status).toBe(0);
    await vi.waitFor(async () => expect((await run('logs', 'talker')).stdout).toMatch(/line 5/), patiently);
    expect((await run('logs', 'talker', '-n', '2')).stdout).toBe('talker | line 4\ntalker | line 5\n');
    expect((await run('logs', 'talker', '--grep', '[13]$')).stdout).toBe(
      'talker | line 1\ntalker | line 3\n',
    );
    expect((await run('logs', 'talker', '--since', '1h', '-n', '1')).stdout).toBe('talker | line 5\n');
    expect((await run('logs', 'talker', '--since', '2099-01-01')).stdout).toBe('');
    // Read from the log on disk: the run's start is marked, as in the window.
    expect((await run('logs', 'talker', '-n', '6')).stdout).toMatch(
      /^talker \| — started at \d\d:\d\d:\d\d —\ntalker \| line 1\n/,
    );
    expect((await run('logs', 'nosuch')).stderr).toMatch(/no log for nosuch/);
  });

  it('-f follows new lines as the child writes them, none twice and none skipped', async () => {
    await run(
      'run',
      '--name',
      'ticker',
      '--',
      'sh',
      '-c',
      'i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.2; done',
    );
    const follower = spawn(process.execPath, [BUILT_PROCTOR, 'logs', '-f', 'ticker'], {
      env: { ...process.env, PROCTOR_SOCKET: socket, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const seen: number[] = [];
    createInterface({ input: follower.stdout! }).on('line', (line) => {
      // The run's separator (`— started at … —`) aside, every line is a tick.
      if (!line.includes('—')) seen.push(Number(/^ticker \| tick (\d+)$/.exec(line)?.[1]));
    });
    try {
      await vi.waitFor(() => expect(seen.length).toBeGreaterThanOrEqual(1), patiently);
      const first = seen[0]!;
      // Lines written after the follower started keep arriving.
      await vi.waitFor(() => expect(seen).toContain(first + 5), patiently);
      expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => first + i));
    } finally {
      follower.kill('SIGINT');
      await run('kill', 'ticker');
    }
  });
});

describe('the headless page served by proctor up', () => {
  it('drives the same backend the command line sees', async () => {
    const client = await connectContract(backend.url, token());
    const started = await client.call('children:start', {
      command: 'sleep',
      args: ['60'],
      name: 'from-the-page',
    });
    expect((await children()).find((c) => c.id === started.id)).toMatchObject({
      name: 'from-the-page',
      state: 'running',
    });
    await run('stop', 'from-the-page');
    const seen = (await client.call('children:list', {})).find((c) => c.id === started.id);
    expect(seen).toMatchObject({ state: 'exited', exitcode: -15 });
    expect(await client.call('app:info', {})).toMatchObject({ pid: backend.pid });
    client.close();
  });
});

describe('proctor down', () => {
  it('stops the backend and every child; nothing is left and nothing answers', async () => {
    await run('run', '--name', 'left-running', '--', 'sh', '-c', 'sleep 60 & sleep 60');
    await run('run', '--daemon', '--name', 'daemon', '--', 'sleep', '60');
    const running = (await children()).filter((c) => c.state === 'running');
    expect(running.map((c) => c.name).sort()).toEqual(['daemon', 'left-running']);
    // Everything in the running children's process groups: the children and the background sleep.
    const family = execFileSync('ps', ['-e', '-o', 'pid=,pgid='], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((line) => line.trim().split(/\s+/).map(Number))
      .filter(([, pgid]) => running.some((c) => c.pid === pgid))
      .map(([pid]) => pid!);
    expect(family.length).toBeGreaterThanOrEqual(3);

    // The quit policy joins for up to quitJoinMs (10 s by default), then terminates.
    const down = await run('down');
    expect(down).toMatchObject({ status: 0, stdout: `Proctor (pid ${backend.pid}) stopped\n` });
    expect(isAlive(backend.pid)).toBe(false);
    for (const pid of family) expect(isAlive(pid), `pid ${pid}`).toBe(false);
    const after = await run('ps');
    expect(after.status).toBe(3);
    expect(after.stderr).toMatch(/no Proctor backend is answering on .*\nStart one with `proctor up`/);
  });
});
