import { existsSync, statSync } from 'node:fs';
import { isKernelThread } from '../../../shared/columns';
import type { ProcessRow } from '../../../shared/model';
import { Budget } from './budget';
import { cpuPercent } from './cpu';
import { linuxSystem, type LinuxSystem } from './linux-system';
import { MachineBusy } from './machine-busy';
import { PidList } from './pid-list';
import { KeptFds } from './kept-fds';
import { readCmdline } from './proc-cmdline';
import { SchedstatReader } from './proc-schedstat';
import { StatReader, type ProcStat } from './proc-stat';
import type { ProcessSource, ProcessUsage, Watched } from './source';
import { userName } from './users';

export interface ProcSourceOptions {
  /**
   * Longest stretch of synchronous reading before yielding to the event loop. A tick at 5,000
   * processes costs ~50 ms of reads; in slices it never holds IPC or timers up for longer than this.
   */
  budgetMs?: number;
  /** Most stat fds kept open across ticks; beyond it a pid is opened, read and closed each tick. */
  maxKeptFds?: number;
  /**
   * CPU time (ms per second of the tick's interval) the machine may have run beyond what the processes
   * read in a tick account for, before the quiet ones left unasked are asked as well (see ProcSource).
   * Below it, a quiet process that woke for less than this shows its run up to QUIET_EVERY - 1 ticks late.
   * @default 30
   */
  wakeSlackMs?: number;
}

/**
 * What is known about one live process between ticks; pid reuse shows as a new startTicks. The
 * fields from its last `stat` read stand for it while it has not run since (see ProcSource).
 */
interface Known {
  pid: number;
  /** Kept fd on /proc/PID/stat, or -1. */
  fd: number;
  /** Kept fd on /proc/PID/schedstat (single-threaded processes only), or -1. */
  schedFd: number;
  /** Nanoseconds it has run (schedstat's first field) when last read; -1 when not tracked. */
  runtimeNs: number;
  startTicks: number;
  /** The comm the cmdline was read under: an exec changes both, so a new comm means re-read. */
  cmdComm: string;
  /** runtimeNs when the cmdline was last read; -1 when unknown. */
  cmdRuntimeNs: number;
  cmd: string;
  uid: number;
  user: string;
  utime: number;
  stime: number;
  /** Its waited-for children's clock ticks (see ProcStat.childTicks) at the last stat read. */
  childTicks: number;
  /** When its fields were last known true: its last read, or a tick it was asked and had not run. */
  sampledAt: number;
  seenInTick: number;
  comm: string;
  state: string;
  ppid: number;
  pgrp: number;
  threads: number;
  vsizeBytes: number;
  rssPages: number;
  priority: number;
  nice: number;
  /** The tick its stat line was last read whole. */
  statTick: number;
  /**
   * The row last given for it: given again, the same object, while nothing in it changes (its cpuPct of 0
   * included). A tick at +5,000 idle processes then makes rows only for the few that ran, and the monitor
   * knows an unchanged row by its identity.
   */
  row: ProcessRow | null;
  /**
   * The last tick it may have run in: its stat line read whole for any reason but the periodic read of
   * a process whose runtime stood (that read finds nothing only running could have changed).
   */
  ranTick: number;
}

/** readOne's answer for a process to ask about again at the end of the tick. */
const LATER = Symbol('later');

const DEFAULT_BUDGET_MS = 8;
// Leave the app at least half its fd limit, and never fewer than this many fds.
const FD_RESERVE = 256;
const BUDGET_CHECK_EVERY = 32;
// Every process gets a whole stat read at least this often (staggered by pid, a few each tick): a
// process that has not run keeps last tick's fields, but memory reclaim can shrink its RSS meanwhile.
// The same read looks at its cmdline again, for programs that retitle themselves without an exec
// (chromium's zygote, postgres, nginx workers) — unless it has not run since that was last read.
const PERIODIC_READ_TICKS = 30;
/** A tracked process whose runtime has stood this many ticks is quiet. */
const QUIET_AFTER_TICKS = 3;
/** A quiet process is asked whether it has run one tick in this many (staggered by pid). */
const QUIET_EVERY = 4;
const DEFAULT_WAKE_SLACK_MS = 30;

/**
 * Linux: reads /proc directly, one reader per file as htop does (proc-stat, proc-schedstat,
 * proc-cmdline), over the fds KeptFds holds; `readOne` only decides what to read. One fd per process
 * is kept open and re-read from offset 0 each tick (a pread is a third of open+read+close); cmdline and owner are read once per
 * process (the cmdline again after an exec, and now and then for retitling programs). Threads are not
 * listed: readdir of /proc shows only thread-group leaders; see PidList for when /proc is listed at all.
 *
 * Most processes sleep through most ticks, and little in their stat line can change while they do:
 * state, threads, comm and times change only by the process running, its ppid only when its parent
 * dies, and its RSS only shrinks, under memory reclaim (hence the periodic whole read). So a
 * single-threaded process is first asked how long it has run, in /proc/PID/schedstat (a line a kernel
 * makes in half the time of `stat`, and nothing to parse but one number); while that has not moved and
 * its parent stands, last tick's fields are still true and `stat` is not read. Its kept fd is the
 * schedstat one; `stat` is opened when it has run. A multi-threaded process keeps its `stat` fd and is
 * always read whole: schedstat counts only its main thread.
 *
 * Most of a large table is quiet: processes that have not run for QUIET_AFTER_TICKS. A quiet process is
 * asked one tick in QUIET_EVERY (its turn), unless one of those left unasked may have run: the machine's
 * own count of the CPU time its cores spent on processes (/proc/stat) is held against what the processes
 * read in the tick ran, and when it is more, beyond a slack for the counters' grain, every quiet process is
 * asked too. What they ran includes the children they waited for since (cutime), less what the ticks that
 * saw those children alive counted already: a short-lived child (a shell prompt's `git`, a build step) is
 * explained by its parent and costs no extra reads. So a quiet process that wakes to do real work shows
 * in the tick it does, and one that wakes for a moment (less than the slack) at its next turn; at +5,000
 * idle processes a tick asks about 1,300 instead of 5,000. What `watch` names (the groups Proctor runs,
 * the selected process) is asked every tick whatever.
 */
export class ProcSource implements ProcessSource {
  readonly name = 'proc';
  private readonly known = new Map<number, Known>();
  private readonly buf = Buffer.alloc(4096);
  private readonly fds: KeptFds;
  private readonly stats: StatReader;
  private readonly schedstats: SchedstatReader;
  private readonly budgetMs: number;
  private readonly wakeSlackMs: number;
  private tickNo = 0;
  private statReads = 0;
  private quietUnasked = 0;
  /** CPU time the processes read this tick have run since their last read, ns. */
  private explainedNs = 0;
  private machine: MachineBusy | null = null;
  /** The machine's busy time at the last sample and when it was read; null before the first. */
  private lastBusy: { ns: number; at: number } | null = null;
  private watched: Watched = { groups: new Set(), pid: null };
  private cmdlinesReadAgain = 0;
  private running: Promise<ProcessRow[]> | null = null;
  private system: LinuxSystem | null = null;
  /** Whether this kernel has /proc/PID/schedstat (CONFIG_SCHED_INFO); without it every tick reads stat. */
  private schedstat = false;
  private readonly pids = new PidList();

  constructor(options: ProcSourceOptions = {}) {
    this.budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
    this.wakeSlackMs = options.wakeSlackMs ?? DEFAULT_WAKE_SLACK_MS;
    this.fds = new KeptFds(options.maxKeptFds ?? Number.POSITIVE_INFINITY);
    this.stats = new StatReader(this.fds, this.buf);
    this.schedstats = new SchedstatReader(this.fds, this.buf);
  }

  /** How many fds (stat or schedstat) are held open right now. */
  get openFds(): number {
    return this.fds.count;
  }

  /** How many processes the last sample read `stat` for; the rest had not run and stood as they were. */
  get wholeReads(): number {
    return this.statReads;
  }

  /** How many quiet processes the last sample did not ask whether they had run. */
  get unasked(): number {
    return this.quietUnasked;
  }

  /** How many command lines of known processes the last sample read again (new processes' not counted). */
  get cmdlineRereads(): number {
    return this.cmdlinesReadAgain;
  }

  sample(): Promise<ProcessRow[]> {
    this.running ??= this.read().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  usage(pid: number): ProcessUsage | undefined {
    const entry = this.known.get(pid);
    if (!entry || !this.system) return undefined;
    return {
      userSeconds: entry.utime / this.system.clockTicks,
      systemSeconds: entry.stime / this.system.clockTicks,
      virtualBytes: entry.vsizeBytes,
    };
  }

  mayHaveRun(pid: number): boolean {
    const entry = this.known.get(pid);
    return entry === undefined || entry.ranTick === this.tickNo;
  }

  priorityOf(pid: number): { nice: number; priority: number } | undefined {
    const entry = this.known.get(pid);
    return entry && { nice: entry.nice, priority: entry.priority };
  }

  watch(watched: Watched): void {
    this.watched = watched;
  }

  reread(pid: number): void {
    const entry = this.known.get(pid);
    // Untracked: the next readOne reads stat whole, and tracks it again from there.
    if (entry) entry.runtimeNs = -1;
  }

  close(): void {
    // A sample in flight would reopen fds behind our back: close once it has finished. Its failure
    // is the monitor's to report (it awaits the same promise); here it only means "finished".
    if (this.running) {
      void this.running.finally(() => this.close()).catch(() => undefined);
      return;
    }
    for (const entry of this.known.values()) this.release(entry);
    this.known.clear();
    this.machine?.close();
    this.lastBusy = null;
  }

  private async read(): Promise<ProcessRow[]> {
    if (!this.system) {
      this.system = linuxSystem();
      const fromLimit = Math.max(
        0,
        Math.min(this.system.openFilesLimit / 2, this.system.openFilesLimit - FD_RESERVE),
      );
      this.fds.limit(fromLimit);
      this.schedstat = existsSync('/proc/self/schedstat');
      this.machine = new MachineBusy(this.system.clockTicks);
    }
    const system = this.system;
    const tick = ++this.tickNo;
    this.statReads = 0;
    this.cmdlinesReadAgain = 0;
    this.quietUnasked = 0;
    this.explainedNs = 0;
    // Read before the processes: what they are found to have run is then all inside this figure.
    const busy = this.machine?.read() ?? null;
    const busyAt = performance.now();
    const rows: ProcessRow[] = [];
    const alive: number[] = [];
    const later: number[] = [];
    const quiet: Known[] = [];
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
      const pid = pids[i]!;
      const entry = this.known.get(pid);
      if (entry !== undefined && this.mayWait(entry, tick)) {
        // Listed, so alive (or a zombie) for its children's standing; whether it ran is settled below.
        entry.seenInTick = tick;
        quiet.push(entry);
        continue;
      }
      const row = this.readOne(pid, entry, tick, now, system, false);
      if (row === LATER) later.push(pid);
      else if (row) {
        rows.push(row);
        alive.push(row.pid);
      }
    }
    // Their parents have been read by now: standing or gone.
    for (const pid of later) {
      const row = this.readOne(pid, this.known.get(pid), tick, performance.now(), system, true);
      if (!row || row === LATER) continue;
      rows.push(row);
      alive.push(row.pid);
    }
    // Every process listed is read or quiet by now: the rest have ended. Thousands can end between two
    // ticks, so forgetting them is sliced up too.
    let gone = 0;
    // Over values, not entries: a [pid, entry] pair a process is 0.5 MB of garbage a tick at +5,000.
    for (const entry of this.known.values()) {
      if (entry.seenInTick === tick) continue;
      this.forget(entry);
      if (++gone % BUDGET_CHECK_EVERY === 0 && budget.spent(performance.now())) await budget.yield();
    }
    const askQuiet = this.someoneElseRan(busy, busyAt, system);
    for (const entry of quiet) {
      if (!askQuiet && this.standing(entry, tick, true) === true) {
        // sampledAt stays at its last check: a run found later is spread over all the time since.
        this.quietUnasked++;
        rows.push(idleRow(entry, system));
        alive.push(entry.pid);
        continue;
      }
      const row = this.readOne(entry.pid, entry, tick, performance.now(), system, true);
      if (!row || row === LATER) continue;
      rows.push(row);
      alive.push(row.pid);
    }
    this.pids.keep(alive);
    return rows;
  }

  /** A quiet process that may go unasked this tick (see the class comment). */
  private mayWait(entry: Known, tick: number): boolean {
    return (
      entry.runtimeNs >= 0 &&
      tick - entry.ranTick >= QUIET_AFTER_TICKS &&
      (tick + entry.pid) % QUIET_EVERY !== 0 &&
      !periodicReadDue(tick, entry.pid) &&
      !this.watched.groups.has(entry.pgrp) &&
      entry.pid !== this.watched.pid
    );
  }

  /**
   * Whether the machine's cores ran processes for longer since the last sample than the processes read
   * in this one account for: then someone left unasked may have run. Besides the wake slack, it allows for
   * the counters' grain: /proc/stat's, a clock tick a core at each end, and stat's, a clock tick a
   * process read whole, whose errors mostly cancel (their sum grows as the root of their number).
   */
  private someoneElseRan(
    busy: { ns: number; cores: number } | null,
    at: number,
    system: LinuxSystem,
  ): boolean {
    const last = this.lastBusy;
    this.lastBusy = busy === null ? null : { ns: busy.ns, at };
    if (busy === null || last === null) return true;
    const grainNs = ((2 * busy.cores + Math.sqrt(this.statReads)) * 1e9) / system.clockTicks;
    const slackNs = this.wakeSlackMs * (at - last.at) * 1e3 + grainNs;
    return busy.ns - last.ns - this.explainedNs > slackNs;
  }

  /**
   * One process's row, or null when it is gone. `LATER` (only when not `last`) means it has not run,
   * but its parent has not been read yet this tick: ask again once everyone else has been read.
   */
  private readOne(
    pid: number,
    known: Known | undefined,
    tick: number,
    now: number,
    system: LinuxSystem,
    last: boolean,
  ): ProcessRow | null | typeof LATER {
    let entry = known;
    // Read before stat, so a run between the two reads shows as a change next tick, not never.
    const runtimeNs = entry && entry.runtimeNs >= 0 ? this.schedstats.runtimeNs(entry) : -1;
    if (entry && runtimeNs >= 0 && runtimeNs === entry.runtimeNs) {
      const standing = this.standing(entry, tick, last);
      if (standing === LATER) return LATER;
      if (standing) {
        entry.sampledAt = now;
        entry.seenInTick = tick;
        return idleRow(entry, system);
      }
    }

    this.statReads++;
    const stat = this.stats.read(pid, entry);
    if (!stat) {
      if (entry) this.forget(entry);
      return null;
    }

    let cpuPct = 0;
    // Runtime unmoved (single-threaded, tracked): read whole only for the periodic read or a parent's exit.
    const stood =
      entry !== undefined &&
      entry.startTicks === stat.startTicks &&
      runtimeNs >= 0 &&
      runtimeNs === entry.runtimeNs;
    const nsPerTick = 1e9 / system.clockTicks;
    if (!entry || entry.startTicks !== stat.startTicks) {
      if (entry) this.forget(entry);
      entry = this.remember(pid, stat);
      this.explainedNs += (ranTicks(stat) + stat.childTicks) * nsPerTick;
    } else {
      // schedstat's figure is exact where there is one; stat's is in clock ticks.
      const ranNs =
        runtimeNs >= 0 && entry.runtimeNs >= 0
          ? runtimeNs - entry.runtimeNs
          : (ranTicks(stat) - ranTicks(entry)) * nsPerTick;
      this.explainedNs += ranNs + (stat.childTicks - entry.childTicks) * nsPerTick;
      cpuPct = cpuPercent(ranTicks(stat) - ranTicks(entry), now - entry.sampledAt, system.clockTicks);
      // Retitling takes running too: a process known not to have run since its cmdline was read is skipped.
      const mayHaveRetitled = runtimeNs < 0 || runtimeNs !== entry.cmdRuntimeNs;
      // A process seen in the middle of its exec reads an empty cmdline; its command is there a tick later.
      const caughtInExec =
        entry.cmd === '' && stat.state !== 'Z' && !isKernelThread({ pid, ppid: stat.ppid });
      if (entry.cmdComm !== stat.comm || caughtInExec || (periodicReadDue(tick, pid) && mayHaveRetitled)) {
        // A zombie's cmdline reads empty; keep what it ran, which says more than nothing.
        this.cmdlinesReadAgain++;
        entry.cmd = readCmdline(pid) || entry.cmd;
        entry.cmdComm = stat.comm;
        entry.cmdRuntimeNs = runtimeNs;
      }
    }
    // One fd a process: schedstat for the single-threaded (stat is opened only when they ran), stat for the rest.
    const tracked = this.schedstat && stat.numThreads === 1;
    this.stats.settle(entry, !tracked);
    entry.utime = stat.utime;
    entry.stime = stat.stime;
    entry.childTicks = stat.childTicks;
    entry.sampledAt = now;
    entry.seenInTick = tick;
    entry.comm = stat.comm;
    entry.state = stat.state;
    entry.ppid = stat.ppid;
    entry.pgrp = stat.pgrp;
    entry.threads = stat.numThreads;
    entry.vsizeBytes = stat.vsizeBytes;
    entry.rssPages = stat.rssPages;
    entry.priority = stat.priority;
    entry.nice = stat.nice;
    entry.statTick = tick;
    if (!stood) entry.ranTick = tick;
    if (tracked) {
      entry.fd = this.fds.drop(entry.fd);
      entry.runtimeNs = runtimeNs >= 0 ? runtimeNs : this.schedstats.runtimeNs(entry);
    } else {
      entry.runtimeNs = -1;
      entry.schedFd = this.fds.drop(entry.schedFd);
    }
    return given(entry, rowOf(entry, cpuPct, system));
  }

  /**
   * Whether a process that has not run since the last tick still has last tick's stat fields: not
   * when its periodic whole read is due, nor when its parent has gone or exited this tick.
   */
  private standing(entry: Known, tick: number, last: boolean): boolean | typeof LATER {
    if (periodicReadDue(tick, entry.pid)) return false;
    if (entry.ppid === 0) return true;
    // Its parent's exit re-parents it without its running; a zombie parent has already exited.
    const parent = this.known.get(entry.ppid);
    if (parent === undefined || parent.startTicks > entry.startTicks) return false;
    if (parent.seenInTick !== tick) return last ? false : LATER;
    return parent.state !== 'Z' && parent.state !== 'X';
  }

  private remember(pid: number, stat: ProcStat): Known {
    let uid = -1;
    try {
      uid = statSync(`/proc/${pid}`).uid;
    } catch {
      // Gone since the stat read; the row is still this tick's truth, and the next tick drops it.
    }
    const entry: Known = {
      pid,
      fd: -1,
      schedFd: -1,
      runtimeNs: -1,
      startTicks: stat.startTicks,
      cmdComm: stat.comm,
      cmdRuntimeNs: -1,
      cmd: '',
      uid,
      user: userName(uid),
      utime: stat.utime,
      stime: stat.stime,
      childTicks: stat.childTicks,
      sampledAt: 0,
      seenInTick: 0,
      comm: stat.comm,
      state: stat.state,
      ppid: stat.ppid,
      pgrp: stat.pgrp,
      threads: stat.numThreads,
      vsizeBytes: stat.vsizeBytes,
      rssPages: stat.rssPages,
      priority: stat.priority,
      nice: stat.nice,
      statTick: 0,
      ranTick: 0,
      row: null,
    };
    this.known.set(pid, entry);
    // Its run time first, then its command line: a retitle after the one read shows as a run since, so
    // the periodic look for retitling skips it while it sleeps (as it did the cmdline of every new
    // process once, 30 ticks after it appeared: 4,000 new sleepers cost 130 reads a tick for half a minute).
    if (this.schedstat && stat.numThreads === 1) entry.cmdRuntimeNs = this.schedstats.runtimeNs(entry);
    entry.cmd = readCmdline(pid);
    return entry;
  }

  /**
   * A process seen in an earlier tick has ended. Once waited for, its run and its own waited-for
   * children's land in its parent's cutime, which this tick counts as explained; what the ticks that saw
   * it already counted is taken back out here, so it is not counted twice and cannot hide another's run.
   */
  private forget(entry: Known): void {
    this.explainedNs -= ((ranTicks(entry) + entry.childTicks) * 1e9) / this.system!.clockTicks;
    this.release(entry);
    this.known.delete(entry.pid);
  }

  private release(entry: Known): void {
    entry.schedFd = this.fds.drop(entry.schedFd);
    entry.fd = this.fds.drop(entry.fd);
  }
}

/** CPU time in clock ticks, user and system. */
function ranTicks(times: { utime: number; stime: number }): number {
  return times.utime + times.stime;
}

function periodicReadDue(tick: number, pid: number): boolean {
  return (tick + pid) % PERIODIC_READ_TICKS === 0;
}

/** The row of a process whose stat fields stand as last read: the last one given, unless that showed it running. */
function idleRow(entry: Known, system: LinuxSystem): ProcessRow {
  if (entry.row === null || entry.row.cpuPct !== 0) entry.row = rowOf(entry, 0, system);
  return entry.row;
}

/** `row`, unless the last row given for the process says the same: then that one is given again. */
function given(entry: Known, row: ProcessRow): ProcessRow {
  const last = entry.row;
  if (last !== null && sameFields(last, row)) return last;
  entry.row = row;
  return row;
}

function sameFields(last: ProcessRow, row: ProcessRow): boolean {
  for (const key of Object.keys(row) as Array<keyof ProcessRow>) if (last[key] !== row[key]) return false;
  return true;
}

function rowOf(entry: Known, cpuPct: number, system: LinuxSystem): ProcessRow {
  return {
    pid: entry.pid,
    ppid: entry.ppid,
    name: entry.comm,
    cmd: entry.cmd,
    state: entry.state,
    threads: entry.threads,
    rssBytes: entry.rssPages * system.pageSize,
    cpuPct,
    uid: entry.uid,
    user: entry.user,
    startedAt: system.bootTimeMs + Math.round((entry.startTicks * 1000) / system.clockTicks),
    pgid: entry.pgrp,
  };
}
