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
        const stable = mine.name.split('-')[0]!;
        const shown = withQuestionRuns(theirs.cmd);
        expect(shown.startsWith(`[${asPsShows(stable)}`), `pid ${mine.pid}: ${shown}`).toBe(true);
      } else {
        expect(psCouldShow(mine.cmd, theirs.cmd), `pid ${mine.pid}: ${theirs.cmd.slice(0, 200)}`).toBe(true);
      }
      expect(Math.abs(theirs.startedAt - mine.startedAt)).toBeLessThan(2000);
      expect(theirs.uid).toBe(mine.uid);
    }
  });
});

/** ps prints at most 128 KiB for a line, the pid column included; ps-list splits that pid off. */
const PS_LINE_CAP = 128 * 1024;

/**
 * Whether `ps`, as ps-list runs it, could print `theirs` for the command line we decoded as `mine`.
 * ps-list runs ps with LC_ALL=C, which prints every byte outside printable ASCII as '?', and trims
 * the line; ps cuts a command line longer than its line. We decode the bytes as UTF-8, where one
 * U+FFFD stands for up to three bytes that were not UTF-8, so runs of '?' are compared as one.
 */
function psCouldShow(mine: string, theirs: string): boolean {
  const ours = asPsShows(mine.replace(/^ +| +$/g, ''));
  const shown = withQuestionRuns(theirs);
  const cut = theirs.length > PS_LINE_CAP - 32 && ours.length > shown.length;
  return cut ? ours.startsWith(shown.replace(/\?$/, '')) : ours === shown;
}

function asPsShows(text: string): string {
  return withQuestionRuns(text.replace(/[^\x20-\x7e]/gu, '?'));
}

function withQuestionRuns(text: string): string {
  return text.replace(/\?+/g, '?');
}
