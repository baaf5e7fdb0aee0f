// A stack from a terminal: `proctor up -f` runs it, `ps` lists its programs, program names drive
// start/stop/restart/kill, `down` leaves nothing; `validate` and `import` need no backend at all.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ChildInfo, ProgramInfo } from '../../shared/model';
import { ensureBuilt, freshSocket, isAlive, proctor, up, type UpBackend } from '../support/cli';

vi.setConfig({ testTimeout: 180_000 });
const patiently = { timeout: 20_000, interval: 200 };

const dir = mkdtempSync(join(tmpdir(), 'pcli-stack-'));
const stackFile = join(dir, 'proctor.yaml');
writeFileSync(
  stackFile,
  `programs:
  db:
    command: sleep 600
  web:
    command: sh -c 'sleep 600 & wait'
    replicas: 2
    depends_on:
      db:
        condition: started
  once:
    command: sh -c 'exit 3'
`,
);

let backend: UpBackend;
let socket: string;
const run = (...args: string[]) => proctor(socket, args);

/** `ps --json`: the programs (they have `program`), then the ad-hoc children (they have `id`). */
interface Listed {
  programs: ProgramInfo[];
  children: ChildInfo[];
}
async function listed(...names: string[]): Promise<Listed> {
  const result = await run('ps', '--json', ...names);
  expect(result.status, result.stderr).toBe(0);
  const entries = JSON.parse(result.stdout) as Array<ProgramInfo | ChildInfo>;
  expect(Array.isArray(entries)).toBe(true);
  return {
    programs: entries.filter((e): e is ProgramInfo => 'program' in e),
    children: entries.filter((e): e is ChildInfo => !('program' in e)),
  };
}
const program = async (name: string) => (await listed()).programs.find((p) => p.name === name)!;

beforeAll(async () => {
  ensureBuilt();
  socket = freshSocket();
  backend = await up(socket, ['-f', stackFile]);
}, 120_000);

afterAll(() => {
  if (isAlive(backend.pid)) backend.process.kill('SIGKILL');
});

describe('proctor up -f', () => {
  it('runs the stack; ps --json has each program with its state, pid, exit code, restarts and times', async () => {
    await vi.waitFor(async () => {
      const { programs } = await listed();
      expect(programs.map((p) => [p.name, p.state])).toEqual([
        ['db', 'running'],
        ['web-0', 'running'],
        ['web-1', 'running'],
        ['once', 'exited'],
      ]);
    }, patiently);
    const { programs, children } = await listed();
    for (const p of programs) {
      expect(Object.keys(p)).toEqual(
        expect.arrayContaining(['name', 'state', 'pid', 'exitcode', 'restarts', 'startedAt', 'exitedAt']),
      );
    }
    const db = programs.find((p) => p.name === 'db')!;
    expect(db).toMatchObject({ exitcode: null, restarts: 0, exitedAt: null });
    expect(isAlive(db.pid!)).toBe(true);
    expect(db.startedAt).toBeGreaterThan(Date.now() - 120_000);
    expect(programs.find((p) => p.name === 'once')).toMatchObject({ exitcode: 3 });
    expect(programs.find((p) => p.name === 'once')!.exitedAt).toBeGreaterThan(0);
    // A program's child is its program's entry, not a second one: no ad-hoc children here.
    expect(children).toEqual([]);

    // NAME… narrows the list to a program (every replica).
    const web = await listed('web');
    expect(web.programs.map((p) => p.name)).toEqual(['web-0', 'web-1']);
    expect(web.children).toEqual([]);
    expect((await run('ps', 'db')).stdout.split('\n').filter((line) => /^\w/.test(line))).toEqual([
      'PROGRAMS',
      expect.stringMatching(/^NAME/),
      expect.stringMatching(/^db /),
    ]);
    expect((await run('ps', 'nothing-by-this-name')).status).toBe(1);

    const table = (await run('ps')).stdout.split('\n');
    expect(table[0]).toBe('PROGRAMS');
    expect(table[1]).toMatch(/^NAME\s+ID\s+STATE\s+PID\s+RESTARTS\s+UPTIME\s+CPU\s+MEM$/);
    expect(table.find((line) => line.startsWith('once '))).toMatch(/exited 3/);
    expect(table.find((line) => line.startsWith('db '))).toMatch(new RegExp(`running\\s+${db.pid}\\s+0`));
  });

  it('stops, starts and restarts programs by program or replica name', async () => {
    const before = await program('web-0');
    const stopped = await run('stop', 'web');
    expect(stopped.status, stopped.stderr).toBe(0);
    expect(stopped.stdout).toMatch(/^web-0: exited -15, pid \d+\nweb-1: exited -15, pid \d+\n$/);
    expect(isAlive(before.pid!)).toBe(false);
    expect((await program('db')).state).toBe('running');

    expect((await run('start', 'web-0')).status).toBe(0);
    await vi.waitFor(async () => expect((await program('web-0')).state).toBe('running'), patiently);
    expect((await program('web-1')).state).toBe('exited');

    const db = await program('db');
    expect((await run('restart', 'db')).status).toBe(0);
    await vi.waitFor(async () => {
      const again = await program('db');
      expect(again).toMatchObject({ state: 'running', restarts: db.restarts + 1 });
      expect(again.pid).not.toBe(db.pid);
    }, patiently);
    expect(isAlive(db.pid!)).toBe(false);
  });

  it("kill and signal reach a program's child; an unknown name fails with its code", async () => {
    const db = await program('db');
    expect((await run('signal', 'TERM', 'db')).stdout).toMatch(/^SIGTERM sent to db/);
    await vi.waitFor(() => expect(isAlive(db.pid!)).toBe(false), patiently);
    const missing = await run('restart', 'no-such-program');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^proctor: E_NO_SUCH_CHILD: /);
  });

  it('down stops the stack: no program process is left', async () => {
    expect((await run('start', 'all')).status).toBe(0);
    await vi.waitFor(async () => {
      const { programs } = await listed();
      expect(programs.filter((p) => p.state === 'running').map((p) => p.name)).toEqual([
        'db',
        'web-0',
        'web-1',
      ]);
    }, patiently);
    const groups = (await listed()).programs.flatMap((p) => (p.state === 'running' ? [p.pid!] : []));
    const family = execFileSync('ps', ['-e', '-o', 'pid=,pgid='], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((line) => line.trim().split(/\s+/).map(Number))
      .filter(([, pgid]) => groups.includes(pgid!))
      .map(([pid]) => pid!);
    // db, two sh and their two sleeps.
    expect(family.length).toBeGreaterThanOrEqual(5);
    expect((await run('down')).status).toBe(0);
    expect(isAlive(backend.pid)).toBe(false);
    for (const pid of family) expect(isAlive(pid), `pid ${pid}`).toBe(false);
  });
});

describe('proctor validate and import, no backend', () => {
  const none = () => join(mkdtempSync(join(tmpdir(), 'pcli-none-')), 'proctor.sock');

  it('validate: 0 for a good file, 1 with file:line:col for a bad one, 2 without a file', async () => {
    const good = await proctor(none(), ['validate', stackFile]);
    expect(good).toMatchObject({ status: 0, stderr: '' });
    expect(good.stdout).toBe(`${stackFile}: valid, 3 programs (db, web, once)\n`);

    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'programs:\n  db:\n    command: sleep 1\n    restart: sometimes\n');
    const refused = await proctor(none(), ['validate', bad]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`^${bad}:4:14: programs\\.db\\.restart: `, 'm'));
    expect(refused.stderr).toMatch(/^proctor: E_STACK_INVALID: .*bad\.yaml has 1 problem$/m);

    expect((await proctor(none(), ['validate'])).status).toBe(2);
    const unreadable = await proctor(none(), ['validate', join(dir, 'missing.yaml')]);
    expect(unreadable.status).toBe(1);
    expect(unreadable.stderr).toMatch(/missing\.yaml: ENOENT/);
  });

  it('import: prints a stack file, writes it with -o (never over a file), and it validates', async () => {
    const procfile = join(dir, 'Procfile');
    writeFileSync(procfile, 'web: sleep 100\nworker: sleep 200\n');
    const printed = await proctor(none(), ['import', procfile]);
    expect(printed.status, printed.stderr).toBe(0);
    expect(printed.stdout).toMatch(/^programs:\n {2}web:\n {4}command: sleep 100\n/m);

    const out = join(dir, 'imported.yaml');
    const written = await proctor(none(), ['import', procfile, '-o', out]);
    expect(written.status, written.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(printed.stdout);
    expect((await proctor(none(), ['validate', out])).status).toBe(0);

    const again = await proctor(none(), ['import', procfile, '-o', out]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/^proctor: E_STATE: .*already exists/);
    const missing = await proctor(none(), ['import', join(dir, 'nothing.yml')]);
    expect(missing).toMatchObject({ status: 1 });
    expect(missing.stderr).toMatch(/^proctor: E_IMPORT: /);
    expect(existsSync(join(dir, 'nothing.yml'))).toBe(false);
    expect((await proctor(none(), ['import'])).status).toBe(2);
  });
});
