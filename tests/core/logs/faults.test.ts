// Faults of the disk under a running child: a log root that cannot be made or written, a full disk
// (a 1 MiB tmpfs), a log file deleted under Proctor. Each is a warning in words; the child keeps
// running and its in-memory output keeps working.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseNote } from '../../../shared/log-notes';
import type { LogWarning } from '../../../shared/model';
import type { ProctorService } from '../../../electron/core/service';
import { programDir } from '../../../electron/core/logs/paths';
import { sh } from '../supervisor/helpers';
import { call, collect, logServices, readAll, tempRoot, until } from './helpers';

const service = logServices();
const mounts: string[] = [];

afterEach(() => {
  for (const dir of mounts.splice(0)) spawnSync('umount', ['-l', dir]);
});

/** A tmpfs at a fresh directory, or the reason it cannot be had (not root, no mount in a container). */
function tmpfs(options: string): { dir: string } | { refused: string } {
  const dir = tempRoot('proctor-tmpfs-');
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf8' });
  if (result.status !== 0)
    return { refused: `mount -t tmpfs was refused: ${result.stderr || result.error?.message}` };
  mounts.push(dir);
  return { dir };
}

const TICKER = 'i=0; while true; do echo "tick $i"; i=$((i+1)); sleep 0.02; done';

/** A ticking child whose warnings are collected; it must still be running, with fresh output in memory. */
async function ticking(s: ProctorService, name: string): Promise<{ id: string; warnings: LogWarning[] }> {
  const warnings = collect(s, 'logs:warning');
  const child = await call(s, 'children:start', { name, ...sh(TICKER) });
  return { id: child.id, warnings };
}

async function stillRunning(s: ProctorService, id: string): Promise<void> {
  // The warning can come before the first line: the run's note in the log is written at the start.
  const last = async () => (await call(s, 'children:output', { id })).lines.at(-1)?.seq;
  const before = await until('output in memory', last);
  await until('more output in memory', async () => ((await last()) ?? 0) > before + 5 || undefined);
  const [info] = await call(s, 'children:list', {});
  expect(info).toMatchObject({ id, state: 'running' });
}

/** The window's read of the log: the child's newest lines from memory, in order, while the disk takes none. */
async function readsFromMemory(s: ProctorService, name: string): Promise<void> {
  const page = await until('five lines from memory', async () => {
    const read = await call(s, 'logs:read', { name, limit: 5 });
    return read.lines.length === 5 ? read : undefined;
  });
  expect(page.inMemory).toBe(true);
  const ticks = page.lines.map((line) => Number(/^tick (\d+)$/.exec(line.text)![1]));
  expect(ticks).toEqual(ticks.map((_, i) => ticks[0]! + i));
  expect(page.lines.map((line) => line.pos)).toEqual(ticks.map((_, i) => page.end - 5 + i));
}

describe('log faults', () => {
  it('warns when the log directory cannot be made (a file in the way), and the child runs on', async () => {
    const base = tempRoot();
    writeFileSync(join(base, 'file'), 'not a directory');
    const s = service({ logs: { root: join(base, 'file', 'logs') } });
    const { id, warnings } = await ticking(s, 'blocked');
    const warning = await until('the warning', () => warnings[0]);
    expect(warning).toMatchObject({ program: 'blocked', kind: 'unwritable', code: 'ENOTDIR' });
    expect(warning.message).toMatch(/^the log directory cannot be written \(.*\): ENOTDIR: not a directory/);
    expect(warning.message).toMatch(/the program keeps running, its output stays in memory$/);
    await stillRunning(s, id);
    await readsFromMemory(s, 'blocked');
    // One warning for one fault, not one a retry.
    expect(warnings).toHaveLength(1);
  });

  it('warns when the log directory is on a read-only mount', async (context) => {
    const mount = tmpfs('ro,size=1m');
    if ('refused' in mount) return context.skip(mount.refused);
    const s = service({ logs: { root: mount.dir } });
    const { id, warnings } = await ticking(s, 'readonly');
    const warning = await until('the warning', () => warnings[0]);
    // Root writes anywhere but on a read-only mount; the code is the real reason, not the ENOENT a
    // recursive mkdir says there.
    expect(warning).toMatchObject({ kind: 'unwritable', code: 'EROFS' });
    expect(warning.message).toMatch(/^the log directory cannot be written \(.*\/readonly\): EROFS/);
    await stillRunning(s, id);
    await readsFromMemory(s, 'readonly');
  });

  it('warns when the disk is full, keeps the child running, and writes again once there is room', async (context) => {
    const mount = tmpfs('size=1m');
    if ('refused' in mount) return context.skip(mount.refused);
    const filler = join(mount.dir, 'filler');
    // Fill the tmpfs up to the last byte: the write fails with ENOSPC once it is full.
    spawnSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=4k'], { stdio: 'ignore' });
    const s = service({ logs: { root: mount.dir, limits: { maxPendingBytes: 1000 } } });
    const { id, warnings } = await ticking(s, 'full');
    const warning = await until('the warning', () => warnings[0]);
    expect(warning).toMatchObject({ program: 'full', kind: 'full', code: 'ENOSPC' });
    expect(warning.message).toMatch(/^the disk is full \(.*\): ENOSPC/);
    await stillRunning(s, id);

    // The queue in memory is bounded (here to about 25 lines): past it, lines are counted as dropped.
    const dropped = await until(
      'lines dropped',
      async () => {
        const [program] = await call(s, 'logs:list', {});
        return program!.dropped > 0 ? program!.dropped : undefined;
      },
      60_000,
    );
    rmSync(filler);
    await until('the recovery', () => warnings.find((w) => w.kind === 'recovered'));
    const lines = await until('lines after the gap on disk', async () => {
      // The run's own separator (the first line) aside: the note looked for is the gap's.
      const all = (await readAll(s, 'full')).filter((line) => parseNote(line.text)?.kind !== 'run');
      const note = all.findIndex((line) => line.stream === 'note');
      return note >= 0 && all.length > note + 3 ? { all, note } : undefined;
    });
    // The queued lines, then a note in the log itself where the gap is, then the lines after it.
    const ticks = (from: number, to?: number): number[] =>
      lines.all.slice(from, to).map((line) => Number(/^tick (\d+)$/.exec(line.text)![1]));
    expect(ticks(0, lines.note)).toEqual(ticks(0, lines.note).map((_, i) => i));
    const noted = Number(/^(\d+) lines dropped: /.exec(lines.all[lines.note]!.text)![1]);
    expect(noted).toBeGreaterThanOrEqual(dropped);
    expect(ticks(lines.note + 1)[0]).toBe(lines.note + noted);
  });

  it('starts a new file when the log file is deleted under Proctor', async () => {
    const root = tempRoot();
    const s = service({ logs: { root } });
    const { id, warnings } = await ticking(s, 'deleted');
    const dir = programDir(root, 'deleted');
    const first = join(dir, '000000000000.log');
    await until('the log file', () => (existsSync(first) ? true : undefined));
    await until('a few lines on disk', async () =>
      (await call(s, 'logs:read', { name: 'deleted' })).end > 3 ? true : undefined,
    );
    unlinkSync(first);
    const warning = await until('the warning', () => warnings.find((w) => w.kind === 'deleted'));
    expect(warning.message).toMatch(/was deleted under Proctor; a new one was started$/);
    await until('a new log file', () =>
      readdirSync(dir).some((name) => name.endsWith('.log')) ? true : undefined,
    );
    await stillRunning(s, id);
    const page = await until('new lines on disk', async () => {
      const read = await call(s, 'logs:read', { name: 'deleted' });
      return read.lines.length > 3 ? read : undefined;
    });
    expect(page.first).toBeGreaterThan(0);
    expect(page.lines.every((line) => /^tick \d+$/.test(line.text))).toBe(true);
  });
});
