// The meters' parsers on recorded /proc text, each figure worked out by hand from the lines.
import { describe, expect, it } from 'vitest';
import { cpuSplit, parseStatCpus } from '../../../../electron/core/monitor/meters/cpu-times';
import { busyPct } from '../../../../shared/meters';
import { parseLoadavg } from '../../../../electron/core/monitor/meters/loadavg';
import { memoryMeter, parseMeminfo } from '../../../../electron/core/monitor/meters/meminfo';
import { countTasks } from '../../../../electron/core/monitor/meters/tasks';
import { parseUptime } from '../../../../electron/core/monitor/meters/uptime';
import { row } from '../helpers';

const STAT_BEFORE = `cpu  1000 100 500 8000 200 10 40 0 0 0
cpu0 500 50 250 4000 100 5 20 0 0 0
cpu2 500 50 250 4000 100 5 20 0 0 0
intr 123 4 5
ctxt 999
btime 1764662400
`;
// Over the tick core 0 spent 60 ticks in user (20 of them running a guest), 10 nice, 20 system, 5 iowait,
// 5 idle; cpu1 is offline (no line) and cpu2 sat idle.
const STAT_AFTER = `cpu  1060 110 520 8105 205 10 40 0 20 0
cpu0 560 60 270 4005 105 5 20 0 20 0
cpu2 500 50 250 4100 100 5 20 0 0 0
`;

describe('parseStatCpus and cpuSplit', () => {
  it('splits a core like htop, guest time taken out of user', () => {
    const before = parseStatCpus(STAT_BEFORE);
    const after = parseStatCpus(STAT_AFTER);
    expect(after.cores).toHaveLength(3);
    expect(after.cores[1]).toBeUndefined();
    const core0 = cpuSplit(after.cores[0]!, before.cores[0]);
    expect(core0).toEqual({
      user: 40,
      nice: 10,
      system: 20,
      irq: 0,
      softirq: 0,
      steal: 0,
      guest: 20,
      iowait: 5,
      idle: 5,
    });
    expect(busyPct(core0)).toBe(90);
    expect(cpuSplit(after.cores[2]!, before.cores[2])).toMatchObject({ user: 0, idle: 100 });
  });

  it('averages since boot without a reading before, and never counts a counter that stepped back', () => {
    const { all } = parseStatCpus(STAT_BEFORE);
    // 1000+100+500+8000+200+10+40 = 9850 ticks.
    expect(cpuSplit(all).idle).toBeCloseTo((8000 / 9850) * 100, 1);
    const back = parseStatCpus('cpu 10 0 0 100 5 0 0 0 0 0').all;
    const later = parseStatCpus('cpu 20 0 0 190 3 0 0 0 0 0').all;
    expect(cpuSplit(later, back)).toMatchObject({ user: 10, idle: 90, iowait: 0 });
  });

  it('refuses a file with no cpu line', () => {
    expect(() => parseStatCpus('intr 1\n')).toThrow(/no cpu line/);
  });
});

describe('memoryMeter', () => {
  it('counts like free: used = total − available, cache = Cached + SReclaimable', () => {
    const info = parseMeminfo(`MemTotal:        8000000 kB
MemFree:         1000000 kB
MemAvailable:    5000000 kB
Buffers:          200000 kB
Cached:          3000000 kB
SwapCached:         1000 kB
Shmem:            100000 kB
SReclaimable:     300000 kB
SwapTotal:       2000000 kB
SwapFree:        1500000 kB
HugePages_Total:       0
`);
    expect(info.get('HugePages_Total')).toBe(0);
    const k = 1024;
    expect(memoryMeter(info)).toEqual({
      totalBytes: 8000000 * k,
      usedBytes: 3000000 * k,
      freeBytes: 1000000 * k,
      buffersBytes: 200000 * k,
      cachedBytes: 3300000 * k,
      availableBytes: 5000000 * k,
      sharedBytes: 100000 * k,
      swapTotalBytes: 2000000 * k,
      swapUsedBytes: 500000 * k,
      swapCachedBytes: 1000 * k,
    });
  });

  it('estimates what is available on kernels without MemAvailable', () => {
    const info = parseMeminfo('MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 250 kB\n');
    expect(memoryMeter(info)).toMatchObject({ availableBytes: 400 * 1024, usedBytes: 600 * 1024 });
  });
});

describe('loadavg, uptime and tasks', () => {
  it('reads the three load averages and the seconds since boot', () => {
    expect(parseLoadavg('0.52 0.58 0.59 2/789 12345\n')).toEqual([0.52, 0.58, 0.59]);
    expect(parseUptime('350735.47 234388.90\n')).toBe(350735.47);
    expect(() => parseLoadavg('')).toThrow(/not a load line/);
    expect(() => parseUptime('x')).toThrow(/not an uptime line/);
  });

  it("counts tasks like htop's line: processes, their extra threads, kernel threads, running", () => {
    const rows = [
      row(1, 0, { threads: 1 }),
      row(2, 0, { name: 'kthreadd', cmd: '' }),
      row(3, 2, { name: 'kworker/0:0', cmd: '', state: 'I' }),
      row(4, 2, { name: 'ksoftirqd/0', cmd: '', state: 'R' }),
      row(10, 1, { threads: 5, state: 'R' }),
      row(11, 10, { threads: 2, state: 'Z' }),
    ];
    expect(countTasks(rows)).toEqual({ processes: 3, threads: 5, kernelThreads: 3, running: 2 });
  });
});
