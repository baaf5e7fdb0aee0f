// The optional columns through the monitor's tick: each reader runs only while its column is shown (or
// for the watched process), and what it reads matches what the test's own processes did.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Monitor, ProcSource } from '../../../electron/core/monitor';
import { OPTIONAL_FIELDS } from '../../../electron/core/monitor/delta';
import { parseCgroup } from '../../../electron/core/monitor/readers/cgroup';
import { holdsPort } from '../../../shared/columns';
import type { TreeRow } from '../../../shared/model';
import { pacedDd } from '../../support/paced-dd';
import { cleanup, firstLine, linesOf, sleep, start, untilRowGivenAgain } from './helpers';

const READERS = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/readers');
const scratch = mkdtempSync(join(tmpdir(), 'proctor-columns-'));
const monitors: Monitor[] = [];

function monitor(columns: ConstructorParameters<typeof Monitor>[0] = {}): Monitor {
  const m = new Monitor({ source: new ProcSource(), meters: null, ...columns });
  monitors.push(m);
  return m;
}

async function rowOf(m: Monitor, pid: number): Promise<TreeRow> {
  await m.tick();
  const row = m.lastRows().find((r) => r.pid === pid);
  if (!row) throw new Error(`no row for ${pid}`);
  return row;
}

afterEach(async () => {
  for (const m of monitors.splice(0)) m.stop();
  await cleanup();
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('optional columns', () => {
  it('read nothing while no column is shown, and only their own fields while one is', async () => {
    const m = monitor();
    const none = await rowOf(m, process.pid);
    for (const field of OPTIONAL_FIELDS) expect(none).not.toHaveProperty(field);
    m.setColumns(['nice']);
    const nice = await rowOf(m, process.pid);
    expect(nice.nice).toBe(getPriority(process.pid));
    expect(nice.priority).toBe(20 + getPriority(process.pid));
    expect(nice).not.toHaveProperty('ports');
    expect(nice).not.toHaveProperty('ioWritePerSec');
    // Hidden again: the delta clears the field with null (JSON would drop an undefined).
    m.setColumns([]);
    const delta = (await m.tick())!;
    expect(delta.changed.find((c) => c.pid === process.pid)).toMatchObject({ nice: null, priority: null });
  });

  it("sets and clears a column's fields on a sleeper whose row the source gives again, leaving the given row as it was", async () => {
    const pid = start('sleep', ['60']).pid!;
    const m = monitor();
    const idle = await untilRowGivenAgain(m, pid);
    m.setColumns(['nice']);
    const shown = (await m.tick())!;
    expect(shown.changed.find((c) => c.pid === pid)).toMatchObject({
      nice: getPriority(pid),
      priority: 20 + getPriority(pid),
    });
    expect(idle).not.toHaveProperty('nice');
    m.setColumns([]);
    const hidden = (await m.tick())!;
    expect(hidden.changed.find((c) => c.pid === pid)).toMatchObject({ nice: null, priority: null });
    expect(m.lastRows().find((r) => r.pid === pid)).toBe(idle);
  });

  it('reads everything of the watched process, and nothing of the others', async () => {
    const m = monitor();
    m.watch(process.pid);
    await m.tick();
    const rows = (await m.tick(), m.lastRows());
    const own = rows.find((r) => r.pid === process.pid)!;
    expect(own.cgroup).toEqual(expect.any(String));
    expect(own.ioWritePerSec).toEqual(expect.any(Number));
    expect(rows.filter((r) => 'cgroup' in r).map((r) => r.pid)).toEqual([process.pid]);
  });

  it("gives a dd writer's write rate within 20 % of what it wrote, and 0 for a sleeper", async () => {
    const file = join(scratch, 'dd.out');
    const pipeline = pacedDd(file);
    const sleeper = start('sleep', ['60']);
    try {
      let pid = 0;
      while (!pid || !existsSync(file) || statSync(file).size === 0) {
        await sleep(100);
        const found = spawnSync('pgrep', ['-P', String(pipeline.pid), '-x', 'dd'], { encoding: 'utf8' });
        pid = Number(found.stdout.trim().split('\n')[0] || 0);
      }
      const m = monitor({ columns: ['ioRead', 'ioWrite'] });
      await m.tick();
      await sleep(1000);
      await m.tick();
      const sizeBefore = statSync(file).size;
      const t0 = Date.now();
      await sleep(2000);
      await m.tick();
      const row = m.lastRows().find((r) => r.pid === pid)!;
      const wrote = (statSync(file).size - sizeBefore) / ((Date.now() - t0) / 1000);
      // The tick's rate spans its last 2 s, which the file's growth measures too.
      expect(wrote).toBeGreaterThan(4 * 2 ** 20);
      expect(Math.abs(row.ioWritePerSec! - wrote) / wrote).toBeLessThan(0.2);
      expect(row.unreadable).toBeNull();
      const idle = m.lastRows().find((r) => r.pid === sleeper.pid)!;
      expect(idle).toMatchObject({ ioReadPerSec: 0, ioWritePerSec: 0, unreadable: null });
    } finally {
      process.kill(-pipeline.pid!, 'SIGKILL');
    }
  });

  it("finds a Python http.server's listening port (the `:PORT` search's field) and a client's connection", async () => {
    const server = start('python3', ['-u', join(READERS, 'http-server.py')]);
    const port = Number(await firstLine(server));
    const client = start('python3', ['-u', join(READERS, 'tcp-client.py'), String(port)]);
    await firstLine(client);
    const m = monitor({ columns: ['ports', 'mpRole', 'cgroup'] });
    await m.tick();
    const rows = m.lastRows();
    const held = rows.filter((r) => holdsPort(r.ports, port)).map((r) => r.pid);
    expect(held).toEqual([server.pid]);
    expect(rows.find((r) => r.pid === server.pid)!.ports).toBe(`tcp:${port}`);
    expect(rows.find((r) => r.pid === client.pid)).toMatchObject({ ports: '', connections: 1 });
    // Its cgroup is the one the kernel lists for it.
    const info = parseCgroup(readFileSync(`/proc/${server.pid}/cgroup`, 'utf8'))!;
    expect(rows.find((r) => r.pid === server.pid)!.cgroupPath).toBe(info.path);
  });

  it("says a process's ports are not ours to read when its fds cannot be listed or followed, never 'none'", async () => {
    // Init: another user's to a user; to root in a container, a process whose fd folder lists but whose
    // links are each refused (ptrace rights over a process are checked per process, not per fd).
    const m = monitor({ columns: ['ports'] });
    const row = await rowOf(m, 1);
    let readable = true;
    try {
      for (const fd of readdirSync('/proc/1/fd')) readlinkSync(`/proc/1/fd/${fd}`);
    } catch (error) {
      readable = (error as NodeJS.ErrnoException).code === 'ENOENT';
    }
    if (readable) expect(row).toMatchObject({ ports: expect.any(String), unreadable: null });
    else expect(row).toMatchObject({ ports: null, unreadable: 'EACCES' });
  });

  it('sees a process that idled through 31 ticks (a periodic stat read among them) write within five ticks and listen within nine', async () => {
    const idler = start('python3', ['-u', join(READERS, 'wake-on-line.py')]);
    const said = linesOf(idler);
    expect((await said.next()).value).toBe('ready');
    const m = monitor({ columns: ['ioWrite', 'ports'] });
    const tickUntil = async (seen: (row: TreeRow) => boolean): Promise<number> => {
      for (let ticks = 1; ticks <= 12; ticks++) if (seen(await rowOf(m, idler.pid!))) return ticks;
      return Number.POSITIVE_INFINITY;
    };
    // Idle through a whole periodic-read period: every file of its it has skipped since stands for it.
    for (let i = 0; i < 31; i++) await rowOf(m, idler.pid!);
    idler.stdin!.write(`write ${join(scratch, 'wake.out')}\n`);
    expect((await said.next()).value).toBe('wrote');
    // Quiet by now, it is asked whether it ran one tick in four: a write too brief for the machine's CPU
    // count to tell shows at its turn, and a tick later at most (see ProcSource).
    expect(await tickUntil((row) => row.ioWritePerSec! > 0)).toBeLessThanOrEqual(5);
    idler.stdin!.write('listen\n');
    const port = Number((await said.next()).value);
    // Ports are looked up every fifth tick: within that, after the turn its run was seen at.
    expect(await tickUntil((row) => holdsPort(row.ports, port))).toBeLessThanOrEqual(9);
    // Some 40 ticks: seconds on a loaded machine with thousands of processes.
  }, 120_000);
});
