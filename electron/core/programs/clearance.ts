// When a launch may run without making a readiness check late. A spawn blocks the event loop for
// milliseconds (a fork of this whole process, then its exec): one that runs into the check deciding
// whether waiting programs may start delays that check, and so everything queued behind it.

/** A readiness check that waiting programs depend on. */
export interface GatingCheck {
  /** When it is due, or when it began if it is under way (performance.now()). */
  at: number;
  underWay: boolean;
  period: number;
}

/** How long after a check began a launch still waits for its result (a TCP or HTTP check on this host takes less). */
const AFTER_CHECK_MS = 5;
/** Checks of several probes may leave no gap between them: launches are never held back longer than this in a row. */
export const MAX_HOLD_MS = 50;

/**
 * How many milliseconds a launch waits (0: it goes now): while a check is due within the last launch's
 * duration, until it has begun, and for the first moments of a check under way. Never longer than a
 * quarter and a tenth of the probe's period, so launches keep most of the time.
 */
export function launchClearance(now: number, lastLaunchMs: number, checks: readonly GatingCheck[]): number {
  let wait = 0;
  for (const { at, underWay, period } of checks) {
    if (underWay) {
      const end = at + Math.min(AFTER_CHECK_MS, period / 10);
      if (now < end) wait = Math.max(wait, end - now);
    } else if (now >= at - Math.min(lastLaunchMs, period / 4)) {
      // Comes back once it is due; a due check whose timer has not fired yet (the loop is late) is waited for too.
      wait = Math.max(wait, Math.max(at - now, 0) + 1);
    }
  }
  return Math.ceil(wait);
}
