// How a system sample becomes one point of each meter's graph: the backend's history and a window's
// own rings (fed by deltas) grow by the same rule.
import type { CpuSplit, SystemHistory, SystemSample } from './model';

/** Samples kept per meter: a minute at the default 1 Hz, the width of btop's small graphs. */
export const METER_HISTORY = 60;

/** The busy part of a split: everything but idle and iowait (a core waiting on a disk is free to run). */
export function busyPct(split: CpuSplit): number {
  return Math.round(Math.max(0, 100 - split.idle - split.iowait) * 10) / 10;
}

export function emptyHistory(): SystemHistory {
  return { cpuPct: [], corePct: [], memUsedPct: [], swapUsedPct: [], load1: [] };
}

/** Appends one point to each ring of `history` in place, dropping the oldest beyond `length`. */
export function appendSample(history: SystemHistory, sample: SystemSample, length = METER_HISTORY): void {
  const { memory } = sample;
  push(history.cpuPct, busyPct(sample.cpu), length);
  sample.cores.forEach((core, i) => push((history.corePct[i] ??= []), busyPct(core), length));
  history.corePct.length = sample.cores.length;
  push(history.memUsedPct, percentOf(memory.usedBytes, memory.totalBytes), length);
  push(history.swapUsedPct, percentOf(memory.swapUsedBytes, memory.swapTotalBytes), length);
  push(history.load1, sample.load[0], length);
}

function push(ring: number[], value: number, length: number): void {
  ring.push(value);
  if (ring.length > length) ring.splice(0, ring.length - length);
}

function percentOf(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0;
}

/** A split's parts in the order a delta carries them. */
const CPU_PARTS = ['user', 'nice', 'system', 'irq', 'softirq', 'steal', 'guest', 'iowait', 'idle'] as const;
/** Memory's fields in the order a delta carries them, in KiB (meminfo counts in KiB, so nothing is lost). */
const MEMORY_FIELDS = [
  'totalBytes',
  'usedBytes',
  'freeBytes',
  'buffersBytes',
  'cachedBytes',
  'availableBytes',
  'sharedBytes',
  'swapTotalBytes',
  'swapUsedBytes',
  'swapCachedBytes',
] as const;
const TASK_FIELDS = ['processes', 'threads', 'kernelThreads', 'running'] as const;

/**
 * One tick's meters as a delta carries them: the same figures as a SystemSample, as arrays in fixed
 * orders instead of named objects (a named split per core was most of a quiet machine's delta), and
 * without `at`, which is the delta's own.
 */
export interface SystemTick {
  cpu: number[];
  cores: number[][];
  memoryKiB: number[];
  load: [number, number, number];
  uptimeSec: number;
  tasks: number[];
}

export function packSample(sample: SystemSample): SystemTick {
  const split = (s: CpuSplit) => CPU_PARTS.map((part) => s[part]);
  return {
    cpu: split(sample.cpu),
    cores: sample.cores.map(split),
    memoryKiB: MEMORY_FIELDS.map((field) => Math.round(sample.memory[field] / 1024)),
    load: sample.load,
    uptimeSec: sample.uptimeSec,
    tasks: TASK_FIELDS.map((field) => sample.tasks[field]),
  };
}

export function unpackSample(tick: SystemTick, at: number): SystemSample {
  const split = (values: number[]) =>
    Object.fromEntries(CPU_PARTS.map((part, i) => [part, values[i] ?? 0])) as unknown as CpuSplit;
  const fields = <K extends string>(keys: readonly K[], values: number[], scale = 1) =>
    Object.fromEntries(keys.map((key, i) => [key, (values[i] ?? 0) * scale])) as Record<K, number>;
  return {
    at,
    cpu: split(tick.cpu),
    cores: tick.cores.map(split),
    memory: fields(MEMORY_FIELDS, tick.memoryKiB, 1024),
    load: tick.load,
    uptimeSec: tick.uptimeSec,
    tasks: fields(TASK_FIELDS, tick.tasks),
  };
}
