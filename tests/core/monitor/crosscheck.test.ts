import { describe, expect, it } from 'vitest';
import type { ProcessRow } from '../../../shared/model';
import { ProcSource, PsListSource } from '../../../electron/core/monitor';

const byPid = (rows: ProcessRow[]) => new Map(rows.map((r) => [r.pid, r]));

describe('ProcSource against PsListSource', () => {
  it('agree on pid, ppid and command for every process alive through both samples', async () => {
    // Two fresh sources, so both samples read every cmdline now rather than from a cache.
    const first = new ProcSource();
    const second = new ProcSource();
    const pslist = new PsListSource();
    const before = byPid(await first.sample());
    const other = byPid(await pslist.sample());
    const after = byPid(await second.sample());
    first.close();
    second.close();
    pslist.close();

    // Alive through both: in /proc before and after ps-list ran, as the same process, unchanged
    // (another engineer's tests exec and re-parent processes on this machine all the time).
    const steady = [...before.values()].filter((b) => {
      const a = after.get(b.pid);
      return (
        a &&
        a.startedAt === b.startedAt &&
        a.ppid === b.ppid &&
        a.cmd === b.cmd &&
        // Kernel workers rename themselves after the work queue they serve.
        a.name === b.name &&
        other.has(b.pid)
      );
    });
    expect(steady.length).toBeGreaterThan(before.size * 0.8);
    expect(steady.length).toBeGreaterThan(10);

    for (const mine of steady) {
      const theirs = other.get(mine.pid)!;
      expect({ pid: theirs.pid, ppid: theirs.ppid }).toEqual({ pid: mine.pid, ppid: mine.ppid });
      if (mine.cmd === '') {
        // ps shows a process without a command line (kernel threads, zombies) as [comm]; a kernel
        // worker's comm names the queue it serves that moment (kworker/0:1-events), so only the
        // part before the queue is stable.
        const stable = asPsShows(mine.name).split('-')[0]!;
        expect(theirs.cmd.startsWith(`[${stable}`), `pid ${mine.pid}: ${theirs.cmd}`).toBe(true);
      } else {
        // ps-list trims the line it reads.
        expect(theirs.cmd, `pid ${mine.pid}`).toBe(asPsShows(mine.cmd).trim());
      }
      expect(Math.abs(theirs.startedAt - mine.startedAt)).toBeLessThan(2000);
      expect(theirs.uid).toBe(mine.uid);
    }
  });
});

/** ps-list runs ps with LC_ALL=C, which prints every byte outside printable ASCII as '?'. */
function asPsShows(text: string): string {
  return [...Buffer.from(text)].map((b) => (b < 0x20 || b > 0x7e ? '?' : String.fromCharCode(b))).join('');
}
