import type { CpuSplit } from '../../../../shared/model';

/** One line of /proc/stat: clock ticks spent in each state since boot. */
export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
  guest: number;
  guestNice: number;
}

export interface StatCpus {
  /** The `cpu` line: all cores summed. */
  all: CpuTimes;
  /** `cpuN` lines by N; a core taken offline has no line, so its slot stays empty. */
  cores: CpuTimes[];
}

const FIELDS = [
  'user',
  'nice',
  'system',
  'idle',
  'iowait',
  'irq',
  'softirq',
  'steal',
  'guest',
  'guestNice',
] as const;

/** A core with nothing counted (taken offline): its split reads all idle. */
export const NO_TIMES: CpuTimes = {
  user: 0,
  nice: 0,
  system: 0,
  idle: 0,
  iowait: 0,
  irq: 0,
  softirq: 0,
  steal: 0,
  guest: 0,
  guestNice: 0,
};

/** Reads the cpu lines of /proc/stat (fields a kernel does not have read as 0). */
export function parseStatCpus(text: string): StatCpus {
  let all: CpuTimes | null = null;
  const cores: CpuTimes[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('cpu')) continue;
    const [label, ...values] = line.split(/\s+/);
    const times = Object.fromEntries(
      FIELDS.map((field, i) => [field, Number(values[i] ?? 0) || 0]),
    ) as unknown as CpuTimes;
    if (label === 'cpu') all = times;
    else cores[Number(label!.slice(3))] = times;
  }
  if (!all) throw new Error('/proc/stat has no cpu line');
  return { all, cores };
}

/**
 * Where the time went between two readings, in percent, the way htop splits its bars: the kernel counts
 * guest time inside user (and guest_nice inside nice), so it is taken out of them and shown apart.
 * Without `before` the split is the average since boot.
 */
export function cpuSplit(after: CpuTimes, before?: CpuTimes): CpuSplit {
  // A counter can step back (iowait does on some kernels when a core goes idle): never below 0.
  const d = (field: (typeof FIELDS)[number]) => Math.max(0, after[field] - (before?.[field] ?? 0));
  const guest = d('guest');
  const guestNice = d('guestNice');
  const parts = {
    user: Math.max(0, d('user') - guest),
    nice: Math.max(0, d('nice') - guestNice),
    system: d('system'),
    irq: d('irq'),
    softirq: d('softirq'),
    steal: d('steal'),
    guest: guest + guestNice,
    iowait: d('iowait'),
    idle: d('idle'),
  };
  const total = Object.values(parts).reduce((sum, value) => sum + value, 0);
  const pct = (value: number) => (total > 0 ? Math.round((value / total) * 1000) / 10 : 0);
  return {
    user: pct(parts.user),
    nice: pct(parts.nice),
    system: pct(parts.system),
    irq: pct(parts.irq),
    softirq: pct(parts.softirq),
    steal: pct(parts.steal),
    guest: pct(parts.guest),
    iowait: pct(parts.iowait),
    idle: total > 0 ? pct(parts.idle) : 100,
  };
}
