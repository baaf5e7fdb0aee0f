import { closeSync } from 'node:fs';
import { readFromStart, type KeptFds } from './kept-fds';

/**
 * The fields of `/proc/PID/stat` the monitor uses (see proc(5)); times in clock ticks, vsize in bytes,
 * rss in pages.
 */
export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  pgrp: number;
  utime: number;
  stime: number;
  /** Clock ticks of its children that it has waited for (cutime + cstime): their CPU lands here. */
  childTicks: number;
  /** The kernel's priority (20 + nice for normal tasks, negative for real-time ones) and the nice value. */
  priority: number;
  nice: number;
  numThreads: number;
  startTicks: number;
  vsizeBytes: number;
  rssPages: number;
}

export function emptyProcStat(): ProcStat {
  return {
    pid: 0,
    comm: '',
    state: '',
    ppid: 0,
    pgrp: 0,
    utime: 0,
    stime: 0,
    childTicks: 0,
    priority: 0,
    nice: 0,
    numThreads: 0,
    startTicks: 0,
    vsizeBytes: 0,
    rssPages: 0,
  };
}

const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const SPACE = 0x20;
const MINUS = 0x2d;

// Field numbers of proc(5), counted from 1 = pid; parsing stops at the last one needed.
const F_PPID = 4;
const F_PGRP = 5;
const F_UTIME = 14;
const F_STIME = 15;
const F_CUTIME = 16;
const F_CSTIME = 17;
const F_PRIORITY = 18;
const F_NICE = 19;
const F_NUM_THREADS = 20;
const F_STARTTIME = 22;
const F_VSIZE = 23;
const F_RSS = 24;

/**
 * Parses one `stat` line straight from the bytes read, without splitting into strings: this runs
 * for every process on every tick, so the caller may pass one `into` object to fill each time.
 * `comm` sits between the first `(` and the LAST `)`, because the name itself may hold spaces and
 * parentheses. Returns null for a truncated or malformed line.
 */
export function parseProcStat(buf: Buffer, length: number = buf.length, into?: ProcStat): ProcStat | null {
  const open = buf.indexOf(OPEN_PAREN);
  const close = buf.lastIndexOf(CLOSE_PAREN, length - 1);
  if (open <= 1 || close < open || close + 3 >= length) return null;

  const out = into ?? emptyProcStat();
  out.pid = parseIntAt(buf, 0, open - 1);
  out.comm = buf.toString('utf8', open + 1, close);
  out.state = String.fromCharCode(buf[close + 2]!);
  // Field 3 (state) ends at close + 3; each later field is one run of digits (maybe signed).
  let field = 3;
  let i = close + 3;
  while (i < length && field < F_RSS) {
    if (buf[i] !== SPACE) return null;
    i++;
    field++;
    let negative = false;
    if (buf[i] === MINUS) {
      negative = true;
      i++;
    }
    let value = 0;
    const start = i;
    while (i < length) {
      const digit = buf[i]! - 0x30;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
      i++;
    }
    if (i === start) return null;
    if (negative) value = -value;
    switch (field) {
      case F_PPID:
        out.ppid = value;
        break;
      case F_PGRP:
        out.pgrp = value;
        break;
      case F_UTIME:
        out.utime = value;
        break;
      case F_STIME:
        out.stime = value;
        break;
      case F_CUTIME:
        out.childTicks = value;
        break;
      case F_CSTIME:
        out.childTicks += value;
        break;
      case F_PRIORITY:
        out.priority = value;
        break;
      case F_NICE:
        out.nice = value;
        break;
      case F_NUM_THREADS:
        out.numThreads = value;
        break;
      case F_STARTTIME:
        out.startTicks = value;
        break;
      case F_VSIZE:
        out.vsizeBytes = value;
        break;
      case F_RSS:
        out.rssPages = value;
        break;
    }
  }
  return field === F_RSS ? out : null;
}

function parseIntAt(buf: Buffer, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) value = value * 10 + (buf[i]! - 0x30);
  return value;
}

/** The part of a known process the stat reader looks after: its kept stat fd, or -1. */
export interface StatHolder {
  fd: number;
}

/**
 * /proc/PID/stat, through the process's kept fd when it has one, else a fresh one. A fresh fd is left
 * open for the caller to `settle`: whether it is worth keeping depends on what the line says.
 */
export class StatReader {
  // One record refilled for every process: a fresh object each would only feed the GC.
  private readonly scratch = emptyProcStat();
  private fresh = -1;

  constructor(
    private readonly fds: KeptFds,
    private readonly buf: Buffer,
  ) {}

  /** The parsed line (valid until the next read), or null when the process has gone. */
  read(pid: number, holder: StatHolder | undefined): ProcStat | null {
    let length = holder && holder.fd >= 0 ? readFromStart(holder.fd, this.buf) : -1;
    if (length <= 0) {
      // Never seen, not kept, or the kept fd now reads nothing: the process it named has exited
      // (a reused pid gets a fresh /proc entry, so the old fd can never see the new process).
      if (holder) holder.fd = this.fds.drop(holder.fd);
      this.fresh = this.fds.open(`/proc/${pid}/stat`);
      length = this.fresh >= 0 ? readFromStart(this.fresh, this.buf) : -1;
    }
    const stat = length > 0 ? parseProcStat(this.buf, length, this.scratch) : null;
    if (!stat) this.settle(null, false);
    return stat;
  }

  /** Keeps the fd the last read opened in `holder` (when `keep`), or closes it. */
  settle(holder: StatHolder | null, keep: boolean): void {
    if (this.fresh < 0) return;
    if (keep && holder) holder.fd = this.fds.keep(this.fresh);
    else closeSync(this.fresh);
    this.fresh = -1;
  }
}
