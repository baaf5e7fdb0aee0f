import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import type { ProcessRow } from '../../../shared/model';
import { Budget } from './budget';
import { cpuPercent } from './cpu';
import { linuxSystem, type LinuxSystem } from './linux-system';
import { PidList } from './pid-list';
import { emptyProcStat, parseProcStat, type ProcStat } from './proc-stat';
import type { ProcessSource } from './source';
import { userName } from './users';

export interface ProcSourceOptions {
  /**
   * Longest stretch of synchronous reading before yielding to the event loop. A tick at 5,000
   * processes costs ~50 ms of reads; in slices it never holds IPC or timers up for longer than this.
   */
  budgetMs?: number;
  /** Most stat fds kept open across ticks; beyond it a pid is opened, read and closed each tick. */
  maxKeptFds?: number;
}

/** What is known about one live process between ticks; pid reuse shows as a new startTicks. */
interface Known {
  fd: number;
  startTicks: number;
  /** The comm the cmdline was read under: an exec changes both, so a new comm means re-read. */
  cmdComm: string;
  cmd: string;
  uid: number;
  user: string;
  cpuTicks: number;
  sampledAt: number;
  seenInTick: number;
}

const DEFAULT_BUDGET_MS = 8;
// Leave the app at least half its fd limit, and never fewer than this many fds.
const FD_RESERVE = 256;
const BUDGET_CHECK_EVERY = 32;
// Some programs retitle themselves without an exec (chromium's zygote, postgres, nginx workers), so
// each process's cmdline is re-read every this many ticks too, a few processes on each tick.
const CMDLINE_REFRESH_TICKS = 30;

/**
 * Linux: reads /proc directly. One fd per process is kept open on /proc/PID/stat and re-read from
 * offset 0 each tick (a pread is a third of open+read+close); cmdline and owner are read once per
 * process (the cmdline again after an exec, and now and then for retitling programs). Threads are not
 * listed: readdir of /proc shows only thread-group leaders; see PidList for when /proc is listed at all.
 */
export class ProcSource implements ProcessSource {
  readonly name = 'proc';
  private readonly known = new Map<number, Known>();
  private readonly buf = Buffer.alloc(4096);
  // One stat record refilled for every process: a fresh object each would only feed the GC.
  private readonly scratch = emptyProcStat();
  private readonly budgetMs: number;
  private maxKeptFds: number;
  private keptFds = 0;
  private tickNo = 0;
  private running: Promise<ProcessRow[]> | null = null;
  private system: LinuxSystem | null = null;
  private readonly pids = new PidList();

  constructor(options: ProcSourceOptions = {}) {
    this.budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
    this.maxKeptFds = options.maxKeptFds ?? Number.POSITIVE_INFINITY;
  }

  /** How many stat fds are held open right now. */
  get openFds(): number {
    return this.keptFds;
  }

  sample(): Promise<ProcessRow[]> {
    this.running ??= this.read().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  close(): void {
    // A sample in flight would reopen fds behind our back: close once it has finished.
    if (this.running) {
      void this.running.finally(() => this.close()).catch(() => undefined);
      return;
    }
    for (const entry of this.known.values()) this.release(entry);
    this.known.clear();
  }

  private async read(): Promise<ProcessRow[]> {
    if (!this.system) {
      this.system = linuxSystem();
      const fromLimit = Math.max(
        0,
        Math.min(this.system.openFilesLimit / 2, this.system.openFilesLimit - FD_RESERVE),
      );
      this.maxKeptFds = Math.min(this.maxKeptFds, fromLimit);
    }
    const system = this.system;
    const tick = ++this.tickNo;
    const rows: ProcessRow[] = [];
    const alive: number[] = [];
    const pids = this.pids.current();
    const budget = new Budget(this.budgetMs);
    let now = performance.now();
    for (let i = 0; i < pids.length; i++) {
      if (i % BUDGET_CHECK_EVERY === 0) {
        now = performance.now();
        if (budget.spent(now)) {
          await budget.yield();
          now = performance.now();
        }
      }
      const row = this.readOne(pids[i]!, tick, now, system);
      if (!row) continue;
      rows.push(row);
      alive.push(row.pid);
    }
    this.pids.keep(alive);
    // Thousands of processes can end between two ticks: closing their fds is sliced up too.
    let closed = 0;
    for (const [pid, entry] of this.known) {
      if (entry.seenInTick === tick) continue;
      this.release(entry);
      this.known.delete(pid);
      if (++closed % BUDGET_CHECK_EVERY === 0 && budget.spent(performance.now())) await budget.yield();
    }
    return rows;
  }

  private readOne(pid: number, tick: number, now: number, system: LinuxSystem): ProcessRow | null {
    let entry = this.known.get(pid);
    let length = entry && entry.fd >= 0 ? this.pread(entry.fd) : -1;
    let freshFd = -1;
    if (length <= 0) {
      // Never seen, not kept, or the kept fd now reads nothing: the process it named has exited
      // (a reused pid gets a fresh /proc entry, so the old fd can never see the new process).
      if (entry) this.release(entry);
      freshFd = this.openStat(pid);
      length = freshFd >= 0 ? this.pread(freshFd) : -1;
    }
    const stat = length > 0 ? parseProcStat(this.buf, length, this.scratch) : null;
    if (!stat) {
      if (freshFd >= 0) closeSync(freshFd);
      this.known.delete(pid);
      return null;
    }

    const cpuTicks = stat.utime + stat.stime;
    let cpuPct = 0;
    if (!entry || entry.startTicks !== stat.startTicks) {
      entry = this.remember(pid, stat);
    } else {
      cpuPct = cpuPercent(cpuTicks - entry.cpuTicks, now - entry.sampledAt, system.clockTicks);
      if (entry.cmdComm !== stat.comm || (tick + pid) % CMDLINE_REFRESH_TICKS === 0) {
        // A zombie's cmdline reads empty; keep what it ran, which says more than nothing.
        entry.cmd = readCmdline(pid) || entry.cmd;
        entry.cmdComm = stat.comm;
      }
    }
    if (freshFd >= 0) this.adopt(entry, freshFd);
    entry.cpuTicks = cpuTicks;
    entry.sampledAt = now;
    entry.seenInTick = tick;

    return {
      pid,
      ppid: stat.ppid,
      name: stat.comm,
      cmd: entry.cmd,
      state: stat.state,
      threads: stat.numThreads,
      rssBytes: stat.rssPages * system.pageSize,
      cpuPct,
      uid: entry.uid,
      user: entry.user,
      startedAt: system.bootTimeMs + Math.round((stat.startTicks * 1000) / system.clockTicks),
      pgid: stat.pgrp,
    };
  }

  private remember(pid: number, stat: ProcStat): Known {
    let uid = -1;
    try {
      uid = statSync(`/proc/${pid}`).uid;
    } catch {
      // Gone since the stat read; the row is still this tick's truth, and the next tick drops it.
    }
    const entry: Known = {
      fd: -1,
      startTicks: stat.startTicks,
      cmdComm: stat.comm,
      cmd: readCmdline(pid),
      uid,
      user: userName(uid),
      cpuTicks: 0,
      sampledAt: 0,
      seenInTick: 0,
    };
    this.known.set(pid, entry);
    return entry;
  }

  private openStat(pid: number): number {
    try {
      return openSync(`/proc/${pid}/stat`, 'r');
    } catch (error) {
      // The app is short of fds: keep no more than we hold now, and read the rest open/read/close.
      if (isErrno(error, 'EMFILE') || isErrno(error, 'ENFILE')) this.maxKeptFds = this.keptFds;
      return -1;
    }
  }

  /** Keeps a freshly opened stat fd for the next ticks, or closes it when at the cap. */
  private adopt(entry: Known, fd: number): void {
    if (this.keptFds < this.maxKeptFds) {
      entry.fd = fd;
      this.keptFds++;
    } else {
      closeSync(fd);
    }
  }

  private pread(fd: number): number {
    try {
      return readSync(fd, this.buf, 0, this.buf.length, 0);
    } catch {
      return -1;
    }
  }

  private release(entry: Known): void {
    if (entry.fd < 0) return;
    closeSync(entry.fd);
    entry.fd = -1;
    this.keptFds--;
  }
}

/** The full command line: NUL-separated arguments joined by spaces; empty for kernel threads and zombies. */
function readCmdline(pid: number): string {
  let raw: Buffer;
  try {
    raw = readFileSync(`/proc/${pid}/cmdline`);
  } catch {
    return '';
  }
  let end = raw.length;
  while (end > 0 && raw[end - 1] === 0) end--;
  return raw.toString('utf8', 0, end).replaceAll('\0', ' ');
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
