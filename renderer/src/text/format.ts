// Number and signal formatting shared by the tree, the details panel and the status bar.
import { SIGNAL_NAMES, signalNameOf } from '../../../shared/signals';

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

export function signalName(signal: number): string {
  return signalNameOf(signal) ?? `signal ${signal}`;
}

export const signalNames = SIGNAL_NAMES;

/** −15 rather than -15: the exitcode reads as a number, not a dash. */
export function signedCode(code: number): string {
  return code < 0 ? `\u2212${-code}` : String(code);
}

export function clockTime(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** The clock to the millisecond, for steps that are milliseconds apart (a stop's timeline). */
export function clockTimeMs(epochMs: number): string {
  return `${clockTime(epochMs)}.${String(new Date(epochMs).getMilliseconds()).padStart(3, '0')}`;
}

/** Start time the way ps shows it: the clock today, the date before that. */
export function startTime(epochMs: number, now = Date.now()): string {
  const d = new Date(epochMs);
  if (now - epochMs < 86_400_000 && new Date(now).getDate() === d.getDate()) return clockTime(epochMs);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * A time on a chart, in the language's own clock format: hours and minutes, seconds when the ticks are
 * less than a minute apart, and the day in front only for a time not from today.
 */
export function chartTime(epochMs: number, language: string, seconds: boolean, now = Date.now()): string {
  const day = new Date(epochMs).toDateString() !== new Date(now).toDateString();
  return new Intl.DateTimeFormat(language, {
    ...(day ? { month: 'numeric', day: 'numeric' } : {}),
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
  }).format(epochMs);
}
