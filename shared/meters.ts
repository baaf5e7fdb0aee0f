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
