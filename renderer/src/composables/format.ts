// Number and signal formatting shared by the tree, the details panel and the status bar.
import { SIGNALS } from '../../../shared/schemas';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

export function humanBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 || unit === 0 ? value.toFixed(0) : value.toFixed(1)} ${UNITS[unit]}`;
}

export function percent(value: number): string {
  return value.toFixed(1);
}

/** Linux numbering: the contract's exitcode −N means "killed by signal N". */
const SIGNAL_NUMBERS: Record<number, string> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  3: 'SIGQUIT',
  4: 'SIGILL',
  5: 'SIGTRAP',
  6: 'SIGABRT',
  7: 'SIGBUS',
  8: 'SIGFPE',
  9: 'SIGKILL',
  10: 'SIGUSR1',
  11: 'SIGSEGV',
  12: 'SIGUSR2',
  13: 'SIGPIPE',
  14: 'SIGALRM',
  15: 'SIGTERM',
  17: 'SIGCHLD',
  18: 'SIGCONT',
  19: 'SIGSTOP',
  20: 'SIGTSTP',
  21: 'SIGTTIN',
  22: 'SIGTTOU',
  23: 'SIGURG',
  24: 'SIGXCPU',
  25: 'SIGXFSZ',
  26: 'SIGVTALRM',
  27: 'SIGPROF',
  28: 'SIGWINCH',
  29: 'SIGIO',
  30: 'SIGPWR',
  31: 'SIGSYS',
};

export function signalName(signal: number): string {
  return SIGNAL_NUMBERS[signal] ?? `signal ${signal}`;
}

export const signalNames = SIGNALS;

/** −15 rather than -15: the exitcode reads as a number, not a dash. */
export function signedCode(code: number): string {
  return code < 0 ? `\u2212${-code}` : String(code);
}

export function clockTime(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Start time the way ps shows it: the clock today, the date before that. */
export function startTime(epochMs: number, now = Date.now()): string {
  const d = new Date(epochMs);
  if (now - epochMs < 86_400_000 && new Date(now).getDate() === d.getDate()) return clockTime(epochMs);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
