// The restart decision after an exit: supervisord's backoff/fatal, pm2's exponential delay.
import type { GiveUp, RestartPolicy } from '../../../shared/model';

/** A run that lasted this long was a success for backoff purposes: the delay starts over. */
export const STABLE_AFTER_MS = 10_000;

export type RestartDecision =
  { kind: 'settle' } | { kind: 'restart'; delayMs: number } | { kind: 'fatal'; gaveUp: GiveUp };

export class Backoff {
  /** Fast failures in a row so far, i.e. automatic restarts since the last stable run. */
  #failures = 0;
  /** When the first run of the current streak of fast failures started, so fatal can say over how long. */
  #streakStartedAt = 0;

  constructor(
    private readonly policy: RestartPolicy | undefined,
    private readonly stableAfterMs = STABLE_AFTER_MS,
  ) {}

  /**
   * Decides what follows an unrequested exit. `exitcode` is null for a start that failed; `uptimeMs`
   * is how long the run lasted (0 when it never started).
   */
  afterExit(exitcode: number | null, uptimeMs: number, now: number = Date.now()): RestartDecision {
    const policy = this.policy;
    if (policy === undefined || policy.policy === 'never') return { kind: 'settle' };
    if (
      policy.policy === 'on-failure' &&
      exitcode !== null &&
      (policy.successExitCodes ?? [0]).includes(exitcode)
    )
      return { kind: 'settle' };
    if (uptimeMs >= this.stableAfterMs) this.#failures = 0;
    if (this.#failures === 0) this.#streakStartedAt = now - uptimeMs;
    if (this.#failures >= policy.maxRetries) {
      const gaveUp: GiveUp = {
        exits: this.#failures + 1,
        overMs: now - this.#streakStartedAt,
        policy: policy.policy,
        maxRetries: policy.maxRetries,
      };
      return { kind: 'fatal', gaveUp };
    }
    const delayMs = Math.min(policy.backoffMs * 2 ** this.#failures, policy.maxBackoffMs);
    this.#failures++;
    return { kind: 'restart', delayMs };
  }

  /** An explicit restart starts the count over. */
  reset(): void {
    this.#failures = 0;
  }
}
