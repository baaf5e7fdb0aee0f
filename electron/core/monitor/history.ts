import { HISTORY_LENGTH } from '../../../shared/limits';
import type { ProcessHistory, ProcessRow } from '../../../shared/model';

/** One process's rings. RSS is kept in KiB in 32 bits: 8 bytes a sample instead of 16. */
interface Ring {
  startedAt: number;
  cpuPct: Float32Array;
  rssKiB: Uint32Array;
  /** Slot the next sample goes to. */
  head: number;
  count: number;
  lastSeenTick: number;
}

/**
 * Per-process rings of CPU% and RSS, one sample a tick. A process's rings outlive it by one ring's
 * length (so the window can still show a process that just died), then go.
 */
export class History {
  private readonly rings = new Map<number, Ring>();
  private tickNo = 0;

  constructor(private length: number = HISTORY_LENGTH.default) {}

  get capacity(): number {
    return this.length;
  }

  /** Processes with rings, alive or recently gone. */
  get size(): number {
    return this.rings.size;
  }

  record(rows: readonly ProcessRow[]): void {
    const tick = ++this.tickNo;
    for (const row of rows) {
      let ring = this.rings.get(row.pid);
      if (!ring || ring.startedAt !== row.startedAt) {
        ring = this.newRing(row.startedAt, this.length);
        this.rings.set(row.pid, ring);
      }
      ring.cpuPct[ring.head] = row.cpuPct;
      ring.rssKiB[ring.head] = Math.min(Math.round(row.rssBytes / 1024), 0xffffffff);
      ring.head = (ring.head + 1) % this.length;
      ring.count = Math.min(ring.count + 1, this.length);
      ring.lastSeenTick = tick;
    }
    for (const [pid, ring] of this.rings) {
      if (tick - ring.lastSeenTick > this.length) this.rings.delete(pid);
    }
  }

  /** Oldest sample first. */
  get(pid: number, intervalMs: number): ProcessHistory | null {
    const ring = this.rings.get(pid);
    if (!ring) return null;
    const cpuPct: number[] = [];
    const rssBytes: number[] = [];
    for (const slot of slots(ring, this.length)) {
      // Float32 holds 12.3 as 12.30000019; give back the tenth the source reported.
      cpuPct.push(Math.round(ring.cpuPct[slot]! * 10) / 10);
      rssBytes.push(ring.rssKiB[slot]! * 1024);
    }
    return { pid, intervalMs, cpuPct, rssBytes };
  }

  /** Changes the ring length, keeping each process's newest samples. */
  resize(length: number): void {
    if (length === this.length) return;
    for (const ring of this.rings.values()) {
      const next = this.newRing(ring.startedAt, length);
      const kept = slots(ring, this.length).slice(-length);
      kept.forEach((slot, i) => {
        next.cpuPct[i] = ring.cpuPct[slot]!;
        next.rssKiB[i] = ring.rssKiB[slot]!;
      });
      ring.cpuPct = next.cpuPct;
      ring.rssKiB = next.rssKiB;
      ring.count = kept.length;
      ring.head = kept.length % length;
    }
    this.length = length;
  }

  private newRing(startedAt: number, length: number): Ring {
    return {
      startedAt,
      cpuPct: new Float32Array(length),
      rssKiB: new Uint32Array(length),
      head: 0,
      count: 0,
      lastSeenTick: this.tickNo,
    };
  }
}

function slots(ring: Ring, length: number): number[] {
  const out: number[] = [];
  const first = (ring.head - ring.count + length) % length;
  for (let i = 0; i < ring.count; i++) out.push((first + i) % length);
  return out;
}
