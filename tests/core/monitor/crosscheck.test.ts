import { afterAll, describe, expect, it } from 'vitest';
import type { ProcessRow } from '../../../shared/model';
import { ProcSource, PsListSource } from '../../../electron/core/monitor';
import { cleanup, firstLine, start } from './helpers';

const byPid = (rows: ProcessRow[]) => new Map(rows.map((r) => [r.pid, r]));

/**
 * Command lines that exercise every rule by which ps's output differs from the bytes in
 * /proc/PID/cmdline, so each rule is checked on every machine, not only where some process
 * happens to hold such a command line. Each is a Python bytes literal.
 */
const TRICKY_ARGS = {
  controls: String.raw`b'#!/bin/sh\n    exec\tx\x7fy\x01z\n'`,
  notUtf8: String.raw`b'\xff\xfe caf\xc3\xa9 \xe2\x82 why?\xc3\xa9?'`,
  emptyWords: String.raw`b'', b'', b'x', b' ', b'', b''`,
  // One argument may hold at most 128 KiB (MAX_ARG_STRLEN), so the long line takes three.
  long: String.raw`b'L' * 100000, b'M' * 100000, b'N' * 100000`,
};

/** Starts bash, waiting on its stdin with a builtin (no child to outlive it), with these argv words. */
async function startTricky(words: string): Promise<number> {
  const exec = `import os; os.execv('/bin/bash', [b'bash', b'-c', b'echo ready; read line', b'crosscheck', ${words}])`;
  const child = start('python3', ['-c', exec]);
  expect(await firstLine(child)).toBe('ready');
  return child.pid!;
}

describe('ProcSource against PsListSource', () => {
  afterAll(cleanup);

  it('agree on pid, ppid and command for every process alive through both samples', async () => {
    const tricky = new Map<string, number>();
    for (const [name, words] of Object.entries(TRICKY_ARGS)) tricky.set(name, await startTricky(words));

    // Two fresh sources, so both samples read every cmdline now rather than from a cache.
    // Processes started this long before the first sample are settled: a test beside this one
    // (vitest runs files in parallel) starts and ends hundreds of short processes, which may be
    // gone, re-parented or exec'd by the second sample; settled ones hardly ever are.
    const settledBefore = Date.now() - 10_000;
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
    const unsteadyBecause = (b: ProcessRow): string | null => {
      const a = after.get(b.pid);
      if (!a || a.startedAt !== b.startedAt) return 'gone';
      if (a.ppid !== b.ppid) return 're-parented';
      if (a.cmd !== b.cmd) return 'exec';
      // Kernel workers rename themselves after the work queue they serve.
      if (a.name !== b.name) return 'renamed';
      return other.has(b.pid) ? null : 'not in ps';
    };
    const steady = [...before.values()].filter((b) => unsteadyBecause(b) === null);
    const settled = [...before.values()].filter((b) => b.startedAt < settledBefore);
    const unsteadySettled = settled.filter((b) => unsteadyBecause(b) !== null);
    const reasons = unsteadySettled
      .slice(0, 20)
      .map((b) => `${b.pid} ${b.name}: ${unsteadyBecause(b)}`)
      .join(', ');
    expect(unsteadySettled.length, reasons).toBeLessThan(settled.length * 0.2);
    expect(steady.length).toBeGreaterThan(10);
    // Each tricky process is steady: the value compared is why it is not (null when it is).
    for (const [name, pid] of tricky) {
      const row = before.get(pid);
      expect(row ? unsteadyBecause(row) : 'not in the first sample', name).toBe(null);
    }

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
        expect(psCouldShow(mine.cmd, theirs.cmd), whereTheyPart(mine.pid, mine.cmd, theirs.cmd)).toBe(true);
      }
      expect(Math.abs(theirs.startedAt - mine.startedAt)).toBeLessThan(2000);
      expect(theirs.uid).toBe(mine.uid);
    }

    // The comparison still tells a wrong command line from a right one, in each tricky case.
    for (const pid of tricky.values()) {
      const mine = before.get(pid)!.cmd;
      const theirs = other.get(pid)!.cmd;
      expect(psCouldShow(mine.replace('crosscheck', 'crossCheck'), theirs)).toBe(false);
      expect(psCouldShow(mine.replace(/^bash/, 'bash '), theirs)).toBe(false);
    }
  });
});

/** ps prints at most 128 KiB for a line, the pid column included; ps-list splits that pid off. */
const PS_LINE_CAP = 128 * 1024;

/**
 * Whether `ps`, as ps-list runs it, could print `theirs` for the command line we decoded as `mine`.
 * ps-list runs procps's ps with LC_ALL=C, which prints a newline as a space, every other control
 * character as '.' and every byte above ASCII as '?'; ps-list then trims the line. ps cuts a
 * command line longer than its line. We decode the bytes as UTF-8, where one U+FFFD stands for up
 * to three bytes that were not UTF-8, so runs of '?' are compared as one.
 */
function psCouldShow(mine: string, theirs: string): boolean {
  const ours = asPsShows(mine).trim();
  const shown = withQuestionRuns(theirs);
  const cut = theirs.length > PS_LINE_CAP - 32 && ours.length > shown.length;
  return cut ? ours.startsWith(shown.replace(/\?$/, '')) : ours === shown;
}

/** A failure message that shows where ps's line and ours (as ps would print it) part, and both lengths. */
function whereTheyPart(pid: number, mine: string, theirs: string): string {
  const ours = asPsShows(mine).trim();
  const shown = withQuestionRuns(theirs);
  let at = 0;
  while (at < ours.length && ours[at] === shown[at]) at++;
  const around = (text: string) => JSON.stringify(text.slice(Math.max(0, at - 60), at + 60));
  return `pid ${pid}: ours ${ours.length} chars, ps ${shown.length}; they part at ${at}: ours ${around(ours)} ps ${around(shown)}`;
}

function asPsShows(text: string): string {
  const escaped = text
    .replace(/\n/g, ' ')
    .replace(/[\x00-\x1f\x7f]/g, '.')
    .replace(/[^\x20-\x7e]/gu, '?');
  return withQuestionRuns(escaped);
}

function withQuestionRuns(text: string): string {
  return text.replace(/\?+/g, '?');
}
