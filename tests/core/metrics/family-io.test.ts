// FamilyIo over a /proc of the test's own making: what each member holds open and has read and written,
// summed per family, counters that only grow, and no more members read per scrape than the bound.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAMILY_IO_MAX_MEMBERS, FamilyIo, type FamilyMember } from '../../../electron/core/metrics/family-io';

function fakeProc() {
  const root = mkdtempSync(join(tmpdir(), 'proctor-fake-proc-'));
  const set = (pid: number, io: { read: number; write: number } | null, fds: number) => {
    const dir = join(root, String(pid));
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, 'fd'), { recursive: true });
    for (let fd = 0; fd < fds; fd++) writeFileSync(join(dir, 'fd', String(fd)), '');
    if (io)
      writeFileSync(
        join(dir, 'io'),
        `rchar: 1\nwchar: 1\nread_bytes: ${io.read}\nwrite_bytes: ${io.write}\n`,
      );
  };
  const gone = (pid: number) => rmSync(join(root, String(pid)), { recursive: true, force: true });
  return { root, set, gone };
}

const member = (pid: number, startedAt = 1): FamilyMember => ({ pid, startedAt });

describe('FamilyIo', () => {
  it("sums each family's open fds and I/O; an exited member's bytes stay, a reused pid starts afresh", () => {
    const proc = fakeProc();
    proc.set(10, { read: 100, write: 1000 }, 3);
    proc.set(11, { read: 50, write: 500 }, 4);
    proc.set(20, null, 5);
    const io = new FamilyIo(proc.root);
    const first = io.read(
      new Map([
        ['a', [member(10), member(11)]],
        ['b', [member(20)]],
      ]),
    );
    expect(first.get('a')).toEqual({ openFds: 7, readBytes: 150, writeBytes: 1500 });
    // Unreadable I/O is no figure, never a 0; its fds still count.
    expect(first.get('b')).toEqual({ openFds: 5, readBytes: null, writeBytes: null });

    proc.set(10, { read: 130, write: 1200 }, 3);
    proc.gone(11);
    proc.set(12, { read: 7, write: 70 }, 3);
    const second = io.read(new Map([['a', [member(10), member(12)]]]));
    expect(second.get('a')).toEqual({ openFds: 6, readBytes: 187, writeBytes: 1770 });

    // pid 10 now belongs to another process: its whole count is new.
    proc.set(10, { read: 5, write: 5 }, 3);
    const third = io.read(new Map([['a', [member(10, 2), member(12)]]]));
    expect(third.get('a')).toMatchObject({ readBytes: 192, writeBytes: 1775 });
  });

  it('reads at most FAMILY_IO_MAX_MEMBERS a scrape, the rest in turns, counting each byte once', () => {
    const proc = fakeProc();
    const count = FAMILY_IO_MAX_MEMBERS + 44;
    const pids = Array.from({ length: count }, (_, i) => 1000 + i);
    for (const pid of pids) proc.set(pid, { read: 1, write: 2 }, 1);
    const families = new Map([['big', pids.map((pid) => member(pid))]]);
    const io = new FamilyIo(proc.root);
    expect(io.read(families).get('big')).toEqual({
      openFds: FAMILY_IO_MAX_MEMBERS,
      readBytes: FAMILY_IO_MAX_MEMBERS,
      writeBytes: 2 * FAMILY_IO_MAX_MEMBERS,
    });
    expect(io.read(families).get('big')).toEqual({ openFds: count, readBytes: count, writeBytes: 2 * count });
    // Read again in turns, nothing new: the counters stay.
    expect(io.read(families).get('big')).toEqual({ openFds: count, readBytes: count, writeBytes: 2 * count });
  });

  it("counts a made-up /proc's fd files as they are, under this process's own pid too", () => {
    const proc = fakeProc();
    proc.set(process.pid, { read: 1, write: 1 }, 3);
    const figures = new FamilyIo(proc.root).read(new Map([['self', [member(process.pid)]]]));
    expect(figures.get('self')?.openFds).toBe(3);
  });

  it("counts a real process's open files in the real /proc as a listing of its fd folder does", async () => {
    // Five pipes for fds 0 to 4, and whatever sleep opens of its own.
    const child = spawn('sleep', ['30'], { stdio: ['pipe', 'pipe', 'pipe', 'pipe', 'pipe'] });
    await once(child, 'spawn');
    try {
      const listed = readdirSync(`/proc/${child.pid}/fd`).length;
      const figures = new FamilyIo().read(new Map([['c', [member(child.pid!)]]])).get('c');
      expect(listed).toBeGreaterThanOrEqual(5);
      expect(figures?.openFds).toBe(listed);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
