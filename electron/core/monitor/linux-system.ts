import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Constants of the running Linux kernel that turn /proc numbers into times and bytes; read once. */
export interface LinuxSystem {
  clockTicks: number;
  pageSize: number;
  bootTimeMs: number;
  /** The soft RLIMIT_NOFILE of this process (Node has no getrlimit). */
  openFilesLimit: number;
}

let cached: LinuxSystem | null = null;

export function linuxSystem(): LinuxSystem {
  cached ??= {
    clockTicks: getconf('CLK_TCK', 100),
    pageSize: getconf('PAGESIZE', 4096),
    bootTimeMs: matchNumber('/proc/stat', /^btime (\d+)$/m, 0) * 1000,
    openFilesLimit: matchNumber('/proc/self/limits', /^Max open files\s+(\d+|unlimited)/m, 1024),
  };
  return cached;
}

function getconf(name: string, fallback: number): number {
  try {
    const value = Number(execFileSync('getconf', [name], { encoding: 'utf8', timeout: 2000 }).trim());
    return Number.isFinite(value) && value > 0 ? value : fallback;
  } catch {
    return fallback;
  }
}

function matchNumber(path: string, pattern: RegExp, fallback: number): number {
  try {
    const found = pattern.exec(readFileSync(path, 'utf8'));
    if (!found) return fallback;
    return found[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(found[1]);
  } catch {
    return fallback;
  }
}
