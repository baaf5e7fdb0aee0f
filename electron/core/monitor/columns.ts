// The optional columns' readers (shared/columns.ts), run in the monitor's tick after the table is read.
// A reader runs only while one of its columns is shown or for the process being watched (the selection),
// and at its own pace: what only running can change (disk counters, fds) is re-read only for processes
// that may have run since; what changes slowly (ports, cgroups, nvidia-smi) every few ticks.
import type { IoUnreadable, OptionalColumn } from '../../../shared/columns';
import type { TreeRow } from '../../../shared/model';
import { readProcText } from './proc-file';
import { parseCgroup, type CgroupInfo } from './readers/cgroup';
import { drmClientsOf, engineBusyPct, type DrmClient } from './readers/drm-fdinfo';
import { scanFds, type FdScan } from './readers/fd-scan';
import { IoRates } from './readers/io';
import { mpRoles, type MpProcess } from './readers/mp-role';
import { nvidiaComputeApps, type NvidiaApp } from './readers/nvidia';
import { SocketTables, type InetSocket } from './readers/sockets';
import type { ProcessSource } from './source';

type Reader = 'io' | 'ports' | 'gpu' | 'cgroup' | 'priority' | 'mpRole';
const READER_OF: Record<OptionalColumn, Reader> = {
  ioRead: 'io',
  ioWrite: 'io',
  ports: 'ports',
  gpu: 'gpu',
  cgroup: 'cgroup',
  nice: 'priority',
  mpRole: 'mpRole',
};

/** Ports change slowly: the socket tables are read every this many ticks (a watched process every tick). */
const PORTS_EVERY = 5;
/**
 * A process moves to another cgroup mostly by its own doing (systemd-run --scope, a container runtime's
 * init) or at an exec: one that may have run has its cgroup re-read every this many ticks, staggered by pid.
 */
const CGROUP_EVERY = 30;
/** A manager can move a process that sleeps (systemd, cgclassify): rare, so every process this often. */
const CGROUP_IDLE_EVERY = 300;
const NVIDIA_EVERY = 5;
/**
 * A process's fds are read link by link at least every this many of its scans (staggered by pid), even
 * when their listing has not changed: an fd closed and opened again under the same number shows by then.
 */
const FULL_FD_SCAN_EVERY = 6;
/** Distinct cgroup files whose meaning is kept. */
const CGROUP_TEXTS_KEPT = 1024;

interface PidState {
  startedAt: number;
  /** Whether it may have run since its fds were listed. */
  fdsStale: boolean;
  /** How many times its fds were listed. */
  fdScans: number;
  fds: FdScan | { unreadable: IoUnreadable } | null;
  /** Its io's last verdict: readable (null), or why not; undefined before the first read. */
  io?: IoUnreadable | null;
  ports?: { text: string; connections: number; unixListening: string[] };
  gpu?: { at: number; clients: DrmClient[] };
  cgroup?: { text: string; path: string } | null;
  /** The command line its cgroup was read under: an exec re-reads it. */
  cgroupCmd?: string;
  /** Whether it may have run since its cgroup was read. */
  cgroupStale: boolean;
}

export class ColumnReaders {
  private shown = new Set<Reader>();
  private watched: number | null = null;
  private readonly states = new Map<number, PidState>();
  private readonly cgroups = new Map<string, PidState['cgroup']>();
  private readonly io: IoRates;
  private readonly tables: SocketTables;
  private nvidia: NvidiaApp[] = [];
  private nvidiaAsking = false;
  private tick = 0;

  constructor(private readonly proc = '/proc') {
    this.io = new IoRates(proc);
    this.tables = new SocketTables(proc);
  }

  /** The columns the user shows. */
  setColumns(columns: readonly OptionalColumn[]): void {
    this.shown = new Set(columns.map((column) => READER_OF[column]));
  }

  /** The process whose figures are all read whatever the columns (the selection); null for none. */
  watch(pid: number | null): void {
    this.watched = pid;
  }

  get active(): boolean {
    return this.shown.size > 0 || this.watched !== null;
  }

  /** Whether `apply` may set fields on the row of `pid`. */
  writes(pid: number): boolean {
    return process.platform === 'linux' && (this.shown.size > 0 || pid === this.watched);
  }

  /** Sets the shown columns' fields on this tick's rows, in place; `at` is a monotonic time in ms. */
  apply(rows: readonly TreeRow[], source: ProcessSource, at: number): void {
    this.tick++;
    if (!this.active || process.platform !== 'linux') {
      this.states.clear();
      return;
    }
    const portsTick = this.tick % PORTS_EVERY === 1;
    if (portsTick) this.tables.refresh();
    const wanted = (reader: Reader, pid: number) => this.shown.has(reader) || pid === this.watched;
    const anyWants = (reader: Reader) => this.shown.has(reader) || this.watched !== null;
    if (anyWants('gpu') && this.tick % NVIDIA_EVERY === 1) this.askNvidia();
    const nvidiaByPid = new Map(this.nvidia.map((app) => [app.pid, app]));

    for (const row of rows) {
      const state = this.stateOf(row);
      if (source.mayHaveRun?.(row.pid) ?? true) state.fdsStale = state.cgroupStale = true;
      const watched = row.pid === this.watched;
      const io = wanted('io', row.pid);
      const fds = wanted('ports', row.pid) || wanted('gpu', row.pid);
      let unreadable: IoUnreadable | null = null;
      if (io) unreadable = this.readIo(row, state, source, at);
      if (fds) {
        if (state.fds === null || (state.fdsStale && (portsTick || watched))) {
          const full = (state.fdScans++ + row.pid) % FULL_FD_SCAN_EVERY === 0;
          const previous = state.fds !== null && !('unreadable' in state.fds) && !full ? state.fds : null;
          state.fds = scanFds(row.pid, this.proc, previous);
          state.fdsStale = false;
        }
        if ('unreadable' in state.fds) unreadable ??= state.fds.unreadable;
      }
      if (io || fds) row.unreadable = unreadable;
      if (wanted('ports', row.pid)) this.readPorts(row, state, portsTick || watched);
      if (wanted('gpu', row.pid)) this.readGpu(row, state, at, nvidiaByPid.get(row.pid));
      if (wanted('cgroup', row.pid)) this.readCgroup(row, state, watched);
      if (wanted('priority', row.pid)) {
        const priority = source.priorityOf?.(row.pid);
        row.nice = priority?.nice ?? null;
        row.priority = priority?.priority ?? null;
      }
    }
    if (anyWants('mpRole')) this.readMpRoles(rows, wanted);
    if (portsTick) this.forgetGone(rows);
  }

  private stateOf(row: TreeRow): PidState {
    let state = this.states.get(row.pid);
    if (!state || state.startedAt !== row.startedAt) {
      state = { startedAt: row.startedAt, fdsStale: true, fdScans: 0, fds: null, cgroupStale: true };
      this.states.set(row.pid, state);
    }
    return state;
  }

  /**
   * A process that has not run since has written and read nothing: its rate is 0 without a read. Returns
   * why its counters could not be read, or null.
   */
  private readIo(row: TreeRow, state: PidState, source: ProcessSource, at: number): IoUnreadable | null {
    const ran = source.mayHaveRun?.(row.pid) ?? true;
    if (state.io === undefined || ran) {
      const rate = this.io.rate(row.pid, row.startedAt, at);
      state.io = rate !== null && 'unreadable' in rate ? rate.unreadable : null;
      row.ioReadPerSec = rate === null || 'unreadable' in rate ? null : Math.round(rate.readPerSec);
      row.ioWritePerSec = rate === null || 'unreadable' in rate ? null : Math.round(rate.writePerSec);
    } else {
      this.io.still(row.pid, at);
      row.ioReadPerSec = state.io === null ? 0 : null;
      row.ioWritePerSec = state.io === null ? 0 : null;
    }
    return state.io;
  }

  private readPorts(row: TreeRow, state: PidState, now: boolean): void {
    const fds = state.fds;
    if (now && fds && !('unreadable' in fds)) {
      const found = this.tables.lookup(row.pid, fds.sockets, fds.netns);
      const listening = new Set<string>();
      const unixListening: string[] = [];
      for (const socket of found.listening) {
        if (socket.proto === 'unix') unixListening.push(socket.path);
        // An unbound UDP socket reads as listening on port 0: it holds no port.
        else if (socket.localPort !== 0) listening.add(`${socket.proto}:${socket.localPort}`);
      }
      const byPort = (entry: string) => Number(entry.slice(entry.indexOf(':') + 1));
      state.ports = {
        text: [...listening].sort((a, b) => byPort(a) - byPort(b) || a.localeCompare(b)).join(' '),
        connections: found.connections.filter((s): s is InetSocket => s.proto !== 'unix').length,
        unixListening,
      };
    }
    row.ports = state.ports?.text ?? null;
    row.connections = state.ports?.connections ?? null;
  }

  private readGpu(row: TreeRow, state: PidState, at: number, nvidia: NvidiaApp | undefined): void {
    const fds = state.fds;
    const dri = fds && !('unreadable' in fds) ? fds.dri : [];
    let pct: number | null = null;
    let memory = 0;
    if (dri.length > 0) {
      const clients = drmClientsOf(row.pid, dri, this.proc);
      const before = state.gpu;
      for (const client of clients) {
        memory += clientMemory(client);
        const was = before?.clients.find((c) => c.clientId === client.clientId && c.driver === client.driver);
        if (!was || !before) continue;
        for (const busy of Object.values(engineBusyPct(was, client, at - before.at)))
          pct = Math.max(pct ?? 0, busy);
      }
      state.gpu = { at, clients };
      if (clients.length > 0) pct ??= 0;
    } else state.gpu = undefined;
    if (nvidia && Number.isFinite(nvidia.usedMemoryBytes)) memory += nvidia.usedMemoryBytes;
    row.gpuPct = pct === null ? null : Math.round(pct * 10) / 10;
    row.gpuMemBytes = memory > 0 ? memory : pct === null ? null : 0;
  }

  private readCgroup(row: TreeRow, state: PidState, now: boolean): void {
    const stagger = this.tick + row.pid;
    if (
      state.cgroup === undefined ||
      now ||
      row.cmd !== state.cgroupCmd ||
      (state.cgroupStale && stagger % CGROUP_EVERY === 0) ||
      stagger % CGROUP_IDLE_EVERY === 0
    ) {
      state.cgroupCmd = row.cmd;
      state.cgroupStale = false;
      try {
        state.cgroup = this.cgroupOf(readProcText(`${this.proc}/${row.pid}/cgroup`));
      } catch {
        // Gone since the table was read: the next tick drops it.
        state.cgroup = null;
      }
    }
    row.cgroup = state.cgroup?.text ?? null;
    row.cgroupPath = state.cgroup?.path ?? null;
  }

  /** What a cgroup file says: thousands of processes share a handful of them, so each text is parsed once. */
  private cgroupOf(text: string): PidState['cgroup'] {
    let known = this.cgroups.get(text);
    if (known === undefined) {
      const info = parseCgroup(text);
      known = info && { text: cgroupText(info), path: info.path };
      // Bounded: a host that makes and drops cgroups all day would grow it without end.
      if (this.cgroups.size >= CGROUP_TEXTS_KEPT) this.cgroups.clear();
      this.cgroups.set(text, known);
    }
    return known;
  }

  /**
   * Roles come from command lines and the tree; only Python processes can have one, so only they are
   * looked at (a `python` in the command), with the unix sockets they listen on where ports were read.
   */
  private readMpRoles(rows: readonly TreeRow[], wanted: (reader: Reader, pid: number) => boolean): void {
    const python: MpProcess[] = [];
    for (const row of rows)
      if (row.cmd.includes('python'))
        python.push({
          pid: row.pid,
          ppid: row.ppid,
          cmd: row.cmd,
          unixListening: this.states.get(row.pid)?.ports?.unixListening,
        });
    const roles = python.length > 0 ? mpRoles(python) : new Map();
    for (const row of rows) if (wanted('mpRole', row.pid)) row.mpRole = roles.get(row.pid) ?? null;
  }

  private askNvidia(): void {
    if (this.nvidiaAsking) return;
    this.nvidiaAsking = true;
    void nvidiaComputeApps()
      .then((apps) => (this.nvidia = apps))
      .finally(() => (this.nvidiaAsking = false));
  }

  private forgetGone(rows: readonly TreeRow[]): void {
    const alive = new Set<number>();
    for (const row of rows) alive.add(row.pid);
    for (const pid of this.states.keys()) if (!alive.has(pid)) this.states.delete(pid);
    this.io.keepOnly(alive);
  }
}

/** The container when recognisable (`docker:3f2a1b9c0d4e`), else the innermost unit, scope or slice. */
function cgroupText(info: CgroupInfo): string {
  if (info.container) return `${info.container.runtime}:${info.container.id.slice(0, 12)}`;
  return info.unit ?? info.scope ?? info.slice ?? info.path;
}

/** What a client holds resident, by the most specific keys its driver gives. */
function clientMemory(client: DrmClient): number {
  const sum = (prefix: string) =>
    Object.entries(client.memory)
      .filter(([key]) => key.startsWith(prefix))
      .reduce((total, [, bytes]) => total + bytes, 0);
  return sum('resident-') || sum('memory-') || sum('total-');
}
