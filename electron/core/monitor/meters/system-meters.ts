import type { ProcessRow, SystemHistory, SystemMeters, SystemSample } from '../../../../shared/model';
import { appendSample, emptyHistory, METER_HISTORY } from '../../../../shared/meters';
import { cpuSplit, NO_TIMES, parseStatCpus, type StatCpus } from './cpu-times';
import { KeptFile } from './kept-file';
import { parseLoadavg } from './loadavg';
import { memoryMeter, parseMeminfo } from './meminfo';
import { countTasks } from './tasks';
import { parseUptime } from './uptime';

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
    appendSample(this.history, sample, this.length);
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
}

/** The meters where this platform has them; elsewhere none (the strip stays hidden). */
export function createDefaultMeters(): MeterSource | null {
  return process.platform === 'linux' ? new ProcMeters() : null;
}
