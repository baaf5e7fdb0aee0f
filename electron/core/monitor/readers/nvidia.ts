// NVIDIA's proprietary driver publishes no DRM fdinfo: its per-process figures come from nvidia-smi.
import { execFile } from 'node:child_process';

export interface NvidiaApp {
  pid: number;
  usedMemoryBytes: number;
  gpuUuid: string;
}

const TIMEOUT_MS = 3000;

/** `nvidia-smi --query-compute-apps=pid,used_memory,gpu_uuid --format=csv,noheader,nounits` (MiB). */
export function parseComputeApps(csv: string): NvidiaApp[] {
  const apps: NvidiaApp[] = [];
  for (const line of csv.split('\n')) {
    const [pid, memory, uuid] = line.split(',').map((field) => field.trim());
    if (!pid || !/^\d+$/.test(pid)) continue;
    // "[N/A]" when the driver does not know (e.g. under WDDM): no figure rather than a wrong one.
    const mib = Number(memory);
    apps.push({
      pid: Number(pid),
      usedMemoryBytes: Number.isFinite(mib) ? mib * 1024 ** 2 : Number.NaN,
      gpuUuid: uuid ?? '',
    });
  }
  return apps;
}

let missing = false;

/** The compute apps on every NVIDIA GPU; empty when there is no nvidia-smi (asked once, then not again). */
export function nvidiaComputeApps(): Promise<NvidiaApp[]> {
  if (missing) return Promise.resolve([]);
  return new Promise((resolve) => {
    execFile(
      'nvidia-smi',
      ['--query-compute-apps=pid,used_memory,gpu_uuid', '--format=csv,noheader,nounits'],
      { timeout: TIMEOUT_MS },
      (error, stdout) => {
        if (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') missing = true;
          resolve([]);
          return;
        }
        resolve(parseComputeApps(stdout));
      },
    );
  });
}
