import type { MemoryMeter } from '../../../../shared/model';

/** /proc/meminfo as a map from its key to bytes (the file says kB and means KiB). */
export function parseMeminfo(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const found = /^([\w()]+):\s+(\d+)(?: kB)?$/.exec(line);
    if (found) values.set(found[1]!, Number(found[2]) * (line.endsWith('kB') ? 1024 : 1));
  }
  return values;
}

/**
 * Memory counted the way procps 4's `free` counts it: cache is the page cache plus reclaimable slab,
 * used is what is not available (total − MemAvailable), swap used is total − free.
 */
export function memoryMeter(info: Map<string, number>): MemoryMeter {
  const get = (key: string) => info.get(key) ?? 0;
  const totalBytes = get('MemTotal');
  const freeBytes = get('MemFree');
  const buffersBytes = get('Buffers');
  const cachedBytes = get('Cached') + get('SReclaimable');
  // Kernels before 3.14 have no MemAvailable: free's own estimate then.
  const availableBytes = info.get('MemAvailable') ?? freeBytes + buffersBytes + cachedBytes;
  const used = totalBytes - availableBytes;
  const swapTotalBytes = get('SwapTotal');
  return {
    totalBytes,
    usedBytes: used >= 0 ? used : totalBytes - freeBytes,
    freeBytes,
    buffersBytes,
    cachedBytes,
    availableBytes,
    sharedBytes: get('Shmem'),
    swapTotalBytes,
    swapUsedBytes: Math.max(0, swapTotalBytes - get('SwapFree')),
    swapCachedBytes: get('SwapCached'),
  };
}
