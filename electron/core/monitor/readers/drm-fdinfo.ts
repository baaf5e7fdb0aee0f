// GPU use per process from the kernel's DRM fdinfo keys (Documentation/gpu/drm-usage-stats.rst), which
// i915, xe, amdgpu, msm, panfrost, v3d and others publish in /proc/PID/fdinfo/FD of a /dev/dri fd.
import { readProcText } from '../proc-file';
import { scanFds } from './fd-scan';

export interface DrmClient {
  driver: string;
  /** Unique per device: two fds of one client (dup, fork) carry the same id and count once. */
  clientId: string;
  /** The device's PCI address, when the driver says it. */
  pdev: string | null;
  /** drm-engine-<name>: nanoseconds the engine was busy for this client. */
  engineNs: Record<string, number>;
  /** drm-cycles-<name> and drm-total-cycles-<name> (xe): busy cycles over the GPU's cycles meanwhile. */
  engineCycles: Record<string, { busy: number; total: number }>;
  /** drm-engine-capacity-<name>: how many of that engine there are (busy time can exceed wall time). */
  capacity: Record<string, number>;
  /** Bytes per key: `memory-vram`, `total-system0`, `resident-local0`… (the key without `drm-`). */
  memory: Record<string, number>;
}

const UNITS: Record<string, number> = { '': 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

/** One fdinfo file; null when it is not a DRM client's (no drm-driver and drm-client-id). */
export function parseDrmFdinfo(text: string): DrmClient | null {
  const client: DrmClient = {
    driver: '',
    clientId: '',
    pdev: null,
    engineNs: {},
    engineCycles: {},
    capacity: {},
    memory: {},
  };
  for (const line of text.split('\n')) {
    const found = /^drm-([\w-]+):\s+(.*?)\s*$/.exec(line);
    if (!found) continue;
    const [, key, value] = found as unknown as [string, string, string];
    if (key === 'driver') client.driver = value;
    else if (key === 'client-id') client.clientId = value;
    else if (key === 'pdev') client.pdev = value;
    else if (key.startsWith('engine-capacity-')) client.capacity[key.slice(16)] = Number(value);
    else if (key.startsWith('engine-')) client.engineNs[key.slice(7)] = Number(value.replace(/ ns$/, ''));
    else if (key.startsWith('total-cycles-')) cycles(client, key.slice(13)).total = Number(value);
    else if (key.startsWith('cycles-')) cycles(client, key.slice(7)).busy = Number(value);
    else if (/^(memory|total|resident|shared|active|purgeable)-/.test(key)) {
      const [amount, unit = ''] = value.split(/\s+/);
      client.memory[key] = Number(amount) * (UNITS[unit] ?? 1);
    }
  }
  return client.driver && client.clientId ? client : null;
}

function cycles(client: DrmClient, engine: string): { busy: number; total: number } {
  return (client.engineCycles[engine] ??= { busy: 0, total: 0 });
}

/**
 * The DRM clients one process holds, one per client id (a client's fds all say the same); null when its
 * fds are not ours to read.
 */
export function readDrmClients(pid: number, proc = '/proc'): DrmClient[] | null {
  const scan = scanFds(pid, proc);
  return 'unreadable' in scan ? null : drmClientsOf(pid, scan.dri, proc);
}

/** The DRM clients behind these /dev/dri fds of `pid` (from scanFds), one per client id. */
export function drmClientsOf(pid: number, driFds: readonly number[], proc = '/proc'): DrmClient[] {
  const clients = new Map<string, DrmClient>();
  for (const fd of driFds) {
    try {
      const client = parseDrmFdinfo(readProcText(`${proc}/${pid}/fdinfo/${fd}`));
      if (client) clients.set(`${client.pdev ?? client.driver}/${client.clientId}`, client);
    } catch {
      // closed under us
    }
  }
  return [...clients.values()];
}

/**
 * Each engine's busy percent between two readings of one client, `wallMs` apart: busy nanoseconds over
 * wall time (divided by the engine's capacity), or busy cycles over the GPU's cycles where the driver
 * counts cycles (xe).
 */
export function engineBusyPct(before: DrmClient, after: DrmClient, wallMs: number): Record<string, number> {
  const busy: Record<string, number> = {};
  for (const [engine, ns] of Object.entries(after.engineNs)) {
    const was = before.engineNs[engine];
    if (was === undefined || wallMs <= 0) continue;
    const capacity = after.capacity[engine] ?? 1;
    busy[engine] = Math.min(100, (Math.max(0, ns - was) / (wallMs * 1e6 * capacity)) * 100);
  }
  for (const [engine, now] of Object.entries(after.engineCycles)) {
    const was = before.engineCycles[engine];
    const total = was ? now.total - was.total : 0;
    if (total > 0) busy[engine] = Math.min(100, (Math.max(0, now.busy - was!.busy) / total) * 100);
  }
  return busy;
}
