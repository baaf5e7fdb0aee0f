/** The fields of `/proc/PID/stat` the monitor uses (see proc(5)); times in clock ticks, rss in pages. */
export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  pgrp: number;
  utime: number;
  stime: number;
  numThreads: number;
  startTicks: number;
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
    numThreads: 0,
    startTicks: 0,
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
const F_NUM_THREADS = 20;
const F_STARTTIME = 22;
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
      case F_NUM_THREADS:
        out.numThreads = value;
        break;
      case F_STARTTIME:
        out.startTicks = value;
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
