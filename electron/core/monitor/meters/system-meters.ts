import type { ProcessRow, SystemHistory, SystemMeters, SystemSample } from '../../../../shared/model';
import { busyPct, cpuSplit, NO_TIMES, parseStatCpus, type StatCpus } from './cpu-times';
import { KeptFile } from './kept-file';
import { parseLoadavg } from './loadavg';
import { memoryMeter, parseMeminfo } from './meminfo';
import { countTasks } from './tasks';
import { parseUptime } from './uptime';

/** Samples kept per meter: a minute at the default 1 Hz, the width of btop's small graphs. */
export const METER_HISTORY = 60;

/** What the monitor asks once per tick, with the table that tick read. */
export interface MeterSource {
  /** null when the files could not be read this tick (the table goes on without meters). */
  read(rows: readonly ProcessRow[], at: number): SystemSample | null;
  /** The last sample with each meter's history; null before the first. */
  current(): SystemMeters | null;
  close(): void;
}

/** Linux: /proc/stat, /proc/meminfo, /proc/loadavg and /proc/uptime, each kept open and re-read. */
export class ProcMeters implements MeterSource {
  private readonly stat: KeptFile;
  private readonly meminfo: KeptFile;
  private readonly loadavg: KeptFile;
  private readonly uptime: KeptFile;
  private previous: StatCpus | null = null;
  private last: SystemSample | null = null;
  private history: SystemHistory = emptyHistory();

  constructor(
    proc = '/proc',
    private readonly length = METER_HISTORY,
  ) {
    this.stat = new KeptFile(`${proc}/stat`);
    this.meminfo = new KeptFile(`${proc}/meminfo`);
    this.loadavg = new KeptFile(`${proc}/loadavg`);
    this.uptime = new KeptFile(`${proc}/uptime`);
  }

  read(rows: readonly ProcessRow[], at: number): SystemSample | null {
    let sample: SystemSample;
    try {
      const cpus = parseStatCpus(this.stat.read());
      const before = this.previous;
      sample = {
        at,
        cpu: cpuSplit(cpus.all, before?.all),
        cores: Array.from(cpus.cores, (core, i) => cpuSplit(core ?? NO_TIMES, before?.cores[i])),
        memory: memoryMeter(parseMeminfo(this.meminfo.read())),
        load: parseLoadavg(this.loadavg.read()),
        uptimeSec: parseUptime(this.uptime.read()),
        tasks: countTasks(rows),
      };
      this.previous = cpus;
    } catch {
      return null;
    }
    this.record(sample);
    this.last = sample;
    return sample;
  }

  current(): SystemMeters | null {
    if (!this.last) return null;
    const h = this.history;
    return {
      now: this.last,
      history: {
        cpuPct: [...h.cpuPct],
        corePct: h.corePct.map((core) => [...core]),
        memUsedPct: [...h.memUsedPct],
        swapUsedPct: [...h.swapUsedPct],
        load1: [...h.load1],
      },
    };
  }

  close(): void {
    for (const file of [this.stat, this.meminfo, this.loadavg, this.uptime]) file.close();
    this.previous = null;
  }

  private record(sample: SystemSample): void {
    const h = this.history;
    const { memory } = sample;
    push(h.cpuPct, busyPct(sample.cpu), this.length);
    sample.cores.forEach((core, i) => push((h.corePct[i] ??= []), busyPct(core), this.length));
    h.corePct.length = sample.cores.length;
    push(h.memUsedPct, percentOf(memory.usedBytes, memory.totalBytes), this.length);
    push(h.swapUsedPct, percentOf(memory.swapUsedBytes, memory.swapTotalBytes), this.length);
    push(h.load1, sample.load[0], this.length);
  }
}

/** The meters where this platform has them; elsewhere none (the strip stays hidden). */
export function createDefaultMeters(): MeterSource | null {
  return process.platform === 'linux' ? new ProcMeters() : null;
}

function emptyHistory(): SystemHistory {
  return { cpuPct: [], corePct: [], memUsedPct: [], swapUsedPct: [], load1: [] };
}

function push(ring: number[], value: number, length: number): void {
  ring.push(value);
  if (ring.length > length) ring.splice(0, ring.length - length);
}

function percentOf(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0;
}
