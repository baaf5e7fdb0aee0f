/**
 * CPU use between two samples of a process's utime+stime, in percent of one core (like top: a
 * process busy on two cores shows 200). Rounded to 0.1 so an idle process reads the same every
 * tick and does not churn the delta.
 */
export function cpuPercent(deltaTicks: number, deltaMs: number, clockTicksPerSec: number): number {
  if (deltaMs <= 0 || deltaTicks <= 0) return 0;
  return roundTenth(((deltaTicks / clockTicksPerSec) * 1000 * 100) / deltaMs);
}

export function roundTenth(value: number): number {
  return Math.round(value * 10) / 10;
}
