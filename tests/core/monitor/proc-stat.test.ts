import { describe, expect, it } from 'vitest';
import { parseProcStat } from '../../../electron/core/monitor/proc-stat';
import { cpuPercent, roundTenth } from '../../../electron/core/monitor/cpu';

// A real line (bash), with every field after comm as the kernel writes it.
const BASH =
  '1063 (bash) S 1062 1063 1063 0 -1 4194560 1093 5861 0 3 12 7 31 9 20 0 1 0 3414 7450624 1036 ' +
  '18446744073709551615 94720 1038869 140733 0 0 0 65536 3686404 1266761467 1 0 0 17 0 0 0 0 0 0\n';

describe('parseProcStat', () => {
  it('reads the fields the monitor uses', () => {
    expect(parseProcStat(Buffer.from(BASH))).toEqual({
      pid: 1063,
      comm: 'bash',
      state: 'S',
      ppid: 1062,
      pgrp: 1063,
      utime: 12,
      stime: 7,
      childTicks: 40,
      priority: 20,
      nice: 0,
      numThreads: 1,
      startTicks: 3414,
      vsizeBytes: 7450624,
      rssPages: 1036,
    });
  });

  it('takes comm up to the LAST parenthesis, spaces and parentheses included', () => {
    const line = BASH.replace('(bash)', '(a) b (c) d)');
    const stat = parseProcStat(Buffer.from(line));
    expect(stat?.comm).toBe('a) b (c) d');
    expect(stat?.ppid).toBe(1062);
    expect(stat?.rssPages).toBe(1036);
  });

  it('parses negative fields (priority of a real-time thread) without losing the ones after', () => {
    const line = BASH.replace(' 20 0 1 0 3414', ' -51 0 4 0 3414');
    expect(parseProcStat(Buffer.from(line))).toMatchObject({
      priority: -51,
      nice: 0,
      numThreads: 4,
      startTicks: 3414,
    });
  });

  it('reads only the given length of a reused buffer', () => {
    const buf = Buffer.alloc(4096, 0x29);
    const length = buf.write(BASH);
    expect(parseProcStat(buf, length)?.comm).toBe('bash');
  });

  it('rejects a truncated or malformed line', () => {
    expect(parseProcStat(Buffer.from('1063 (bash) S 1062 1063'))).toBeNull();
    expect(parseProcStat(Buffer.from('garbage'))).toBeNull();
    expect(parseProcStat(Buffer.from(BASH.replace(' 7450624 ', ' x ')))).toBeNull();
  });
});

describe('cpuPercent', () => {
  it('is utime+stime over elapsed time, per core, rounded to a tenth', () => {
    expect(cpuPercent(100, 1000, 100)).toBe(100);
    expect(cpuPercent(150, 1000, 100)).toBe(150);
    expect(cpuPercent(1, 3000, 100)).toBe(0.3);
    expect(cpuPercent(0, 1000, 100)).toBe(0);
    expect(cpuPercent(5, 0, 100)).toBe(0);
    expect(roundTenth(12.34)).toBe(12.3);
  });
});
