// The per-process readers on real processes: a dd writing at a known pace, a Python http.server and its
// client, and a multiprocessing family under each start method.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { IoRates, readIo } from '../../../../electron/core/monitor/readers/io';
import { mpRoles, type MpProcess } from '../../../../electron/core/monitor/readers/mp-role';
import { scanFds } from '../../../../electron/core/monitor/readers/fd-scan';
import { SocketTables, type InetSocket } from '../../../../electron/core/monitor/readers/sockets';
import { portQuery } from '../../../../shared/columns';
import { pacedDd } from '../../../support/paced-dd';
import { cleanup, firstLine, linesOf, sleep, start } from '../helpers';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/readers');
const scratch = mkdtempSync(join(tmpdir(), 'proctor-readers-'));
afterAll(async () => {
  await cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

/** The pids under `root` (itself included), from ps: parent links read apart from the readers. */
function family(root: number): MpProcess[] {
  const all = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), cmd: m[3]!.trim() }));
  const members = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all)
      if (members.has(p.ppid) && !members.has(p.pid)) {
        members.add(p.pid);
        grew = true;
      }
  }
  return all.filter((p) => members.has(p.pid));
}

describe('IoRates', () => {
  it("gives a dd writer's write rate within 20 % of what it wrote meanwhile", async () => {
    const file = join(scratch, 'dd.out');
    const pipeline = pacedDd(file);
    try {
      // dd, not the writer beside it in the pipeline; measured once the writer (a slow start under a
      // pyenv shim) has begun.
      let pid = 0;
      while (!pid || !existsSync(file) || statSync(file).size === 0) {
        await sleep(100);
        const found = spawnSync('pgrep', ['-P', String(pipeline.pid), '-x', 'dd'], { encoding: 'utf8' });
        pid = Number(found.stdout.trim().split('\n')[0] || 0);
      }
      const rates = new IoRates();
      await sleep(500);
      const startedAt = 1;
      const sizeBefore = statSync(file).size;
      const t0 = performance.now();
      expect(rates.rate(pid, startedAt, t0)).toBeNull();
      await sleep(2000);
      const sizeAfter = statSync(file).size;
      const t1 = performance.now();
      const rate = rates.rate(pid, startedAt, t1);
      const wrote = (sizeAfter - sizeBefore) / ((t1 - t0) / 1000);
      expect(rate).toMatchObject({ writePerSec: expect.any(Number) });
      const { writePerSec } = rate as { writePerSec: number };
      expect(wrote).toBeGreaterThan(4 * 2 ** 20);
      expect(Math.abs(writePerSec - wrote) / wrote).toBeLessThan(0.2);
    } finally {
      process.kill(-pipeline.pid!, 'SIGKILL');
    }
  });

  it('says why a process has no figure, never 0', () => {
    // Even root may not read init's io here: the kernel's ptrace check guards it.
    const init = readIo(1);
    if (!init.ok) expect(init.reason).toBe('EACCES');
    expect(readIo(2 ** 22 + 7)).toEqual({ ok: false, reason: 'ENOENT' });
    expect(new IoRates().rate(2 ** 22 + 7, 0)).toEqual({ unreadable: 'ENOENT' });
  });
});

describe('SocketTables', () => {
  it("shows a Python http.server's listening port and a client's connection to it", async () => {
    const server = start('python3', ['-u', join(FIXTURES, 'http-server.py')]);
    const port = Number(await firstLine(server));
    const client = start('python3', ['-u', join(FIXTURES, 'tcp-client.py'), String(port)]);
    const clientPort = Number(await firstLine(client));
    const tables = new SocketTables();
    const served = tables.of(server.pid!)!;
    expect(served.listening).toContainEqual(
      expect.objectContaining({ proto: 'tcp', localAddress: '127.0.0.1', localPort: port, state: 'LISTEN' }),
    );
    const held = tables.of(client.pid!)!;
    expect(held.connections).toContainEqual(
      expect.objectContaining({
        proto: 'tcp',
        localPort: clientPort,
        remoteAddress: '127.0.0.1',
        remotePort: port,
        state: 'ESTABLISHED',
      }),
    );
    // "Who holds :port": the server, by its listening socket.
    expect(portQuery(`:${port}`)).toBe(port);
    expect(portQuery('http')).toBeNull();
    const holders = [server.pid!, client.pid!].filter((pid) =>
      tables.of(pid)!.listening.some((s) => (s as InetSocket).localPort === port),
    );
    expect(holders).toEqual([server.pid]);
  });

  it('reads an IPv6 and a UDP socket, and a listening unix socket with its path', async () => {
    const path = join(scratch, 'listen.sock');
    const child = start('python3', [
      '-u',
      '-c',
      `
import socket, sys
six = socket.socket(socket.AF_INET6); six.bind(("::1", 0)); six.listen()
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); udp.bind(("127.0.0.1", 0))
unix = socket.socket(socket.AF_UNIX); unix.bind(${JSON.stringify(path)}); unix.listen()
print(six.getsockname()[1], udp.getsockname()[1], flush=True)
sys.stdin.readline()`,
    ]);
    const [sixPort, udpPort] = (await firstLine(child)).split(' ').map(Number);
    const { listening } = new SocketTables().of(child.pid!)!;
    expect(listening).toContainEqual(
      expect.objectContaining({ proto: 'tcp6', localAddress: '::1', localPort: sixPort }),
    );
    expect(listening).toContainEqual(
      expect.objectContaining({ proto: 'udp', localPort: udpPort, state: 'LISTEN' }),
    );
    expect(listening).toContainEqual(expect.objectContaining({ proto: 'unix', path, listening: true }));
  });
});

describe('mpRoles', () => {
  for (const method of ['spawn', 'forkserver', 'fork'] as const) {
    it(`names each process of a ${method} family`, async () => {
      const main = start('python3', [join(FIXTURES, 'mp-roles.py'), method]);
      expect(await firstLine(main)).toBe('ready');
      const members = family(main.pid!);
      const tables = new SocketTables();
      const withSockets = members.map((p) => ({
        ...p,
        unixListening: (tables.of(p.pid)?.listening ?? []).flatMap((s) =>
          s.proto === 'unix' ? [s.path] : [],
        ),
      }));
      const roles = mpRoles(withSockets);
      const named = [...roles.values()].sort();
      expect(roles.get(main.pid!)).toBe('main');
      expect(named).toContain('manager');
      expect(named).toContain('resource-tracker');
      expect(named.filter((role) => role === 'forkserver').length).toBeLessThanOrEqual(1);
      const worker = { spawn: 'spawn-child', forkserver: 'forkserver-child', fork: 'fork-child' }[method];
      expect(named).toContain(worker);
      if (method === 'forkserver') expect(named).toContain('forkserver');
      main.stdin!.write('\n');
      await new Promise((resolve) => main.once('exit', resolve));
      await sleep(100);
    });
  }
});

describe('scanFds on a live process', () => {
  it('keeps its last scan while the count of fds stands, and reads them again once it changes', async () => {
    // Swaps one socket for another under a new fd number (one closed, one opened), then opens one more.
    const script = [
      'import os, socket, sys',
      'a, b = socket.socket(), socket.socket()',
      'print(a.fileno(), flush=True)',
      'sys.stdin.readline()',
      'c = socket.socket(); os.dup2(c.fileno(), 60); c.close(); a.close()',
      'print(os.fstat(60).st_ino, flush=True)',
      'sys.stdin.readline()',
      'd = socket.socket()',
      'print(os.fstat(d.fileno()).st_ino, flush=True)',
      'sys.stdin.readline()',
    ].join('\n');
    const holder = start('python3', ['-c', script]);
    const lines = linesOf(holder);
    await lines.next();
    const first = scanFds(holder.pid!);
    if ('unreadable' in first) throw new Error(`fds unreadable: ${first.unreadable}`);
    holder.stdin!.write('\n');
    const swapped = Number((await lines.next()).value);
    const again = scanFds(holder.pid!, '/proc', first);
    // Linux 6.2 on says how many fds a process has: the same count keeps the last scan, the swap unseen
    // until the caller's next full scan. Before it, the listing changed and is read again.
    if (statSync(`/proc/${holder.pid}/fd`).size > 0) expect(again).toBe(first);
    else expect(again).toMatchObject({ sockets: expect.arrayContaining([swapped]) });
    holder.stdin!.write('\n');
    const opened = Number((await lines.next()).value);
    const grown = scanFds(holder.pid!, '/proc', first);
    expect(grown).toMatchObject({ sockets: expect.arrayContaining([swapped, opened]) });
    holder.stdin!.write('\n');
  });
});
