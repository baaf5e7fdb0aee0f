// What is worth telling (a crash, a fatal, a blocked program, an unhealthy probe), told once a burst:
// to every window as an event and to the webhook as a POST of the body documented in docs/webhooks.md.
import { hostname } from 'node:os';
import type { Notification, NotificationKind, PostMortemSummary, ProgramInfo } from '../../../shared/model';
import { BurstLimiter, DEFAULT_BURST_OPTIONS, type BurstOptions, type Held } from './limiter';
import { DEFAULT_WEBHOOK_OPTIONS, postWebhook, type WebhookOptions } from './webhook';

export interface NotifierDeps {
  /**
   * The webhooks to POST a program's notification to (the settings' one, the program's own), none
   * for none; asked at each send, so a settings change or a reload applies at once.
   */
  webhookUrls(program: string): string[];
  /** Whether this kind is wanted at all (the settings' switches), asked at each notification. */
  enabled(kind: NotificationKind): boolean;
  /** Every notification that goes out, for the windows (desktop and browser notifications). */
  told(notification: Notification): void;
  /** A webhook that could not be reached after its retries, in words. */
  failed(program: string, message: string): void;
  webhook?: Partial<WebhookOptions>;
  burst?: Partial<BurstOptions>;
}

/** The webhook body's version: bumped when a field changes meaning or goes away. */
export const WEBHOOK_BODY_VERSION = 1;

export class Notifier {
  readonly #limiter: BurstLimiter<NotificationKind>;
  readonly #webhook: WebhookOptions;
  readonly #deliveries = new Set<Promise<void>>();
  /** What each program was last told as, so a state repeated by the next tick is not told twice. */
  readonly #programKinds = new Map<string, NotificationKind | null>();

  constructor(private readonly deps: NotifierDeps) {
    this.#webhook = { ...DEFAULT_WEBHOOK_OPTIONS, ...deps.webhook };
    this.#limiter = new BurstLimiter({ ...DEFAULT_BURST_OPTIONS, ...deps.burst }, (held) =>
      this.#send(summaryOf(held)),
    );
  }

  notify(notification: Notification & { kind: NotificationKind }): void {
    if (!this.deps.enabled(notification.kind)) return;
    if (this.#limiter.offer(notification.program, notification.kind, notification.at))
      this.#send(notification);
  }

  /** A post-mortem's notification: a crash, or the exit that made the program fatal. */
  postMortem(summary: PostMortemSummary): void {
    const fatal = summary.outcome === 'fatal';
    this.notify({
      kind: fatal ? 'fatal' : 'crash',
      program: summary.program,
      message: `${summary.program} ${fatal ? 'went fatal after' : 'crashed with'} ${summary.reason}`,
      at: summary.at,
      exitcode: summary.exitcode,
      reason: summary.reason,
      restarts: summary.restarts,
      postmortemId: summary.id,
    });
  }

  /** A program's new state: tells of it turning blocked or unhealthy (once, until it changes again). */
  program(info: ProgramInfo): void {
    const kind: NotificationKind | null =
      info.state === 'blocked' ? 'blocked' : info.reason?.code === 'liveness_failed' ? 'unhealthy' : null;
    const was = this.#programKinds.get(info.name) ?? null;
    this.#programKinds.set(info.name, kind);
    if (kind === null || kind === was) return;
    this.notify({
      kind,
      program: info.name,
      message: `${info.name} is ${kind}: ${info.reason?.text ?? 'no reason given'}`,
      at: Date.now(),
      restarts: info.restarts,
    });
  }

  /** Sends the summaries still held and waits for the deliveries under way (shutdown, tests). */
  async close(): Promise<void> {
    this.#limiter.flush();
    await Promise.all(this.#deliveries);
  }

  #send(notification: Notification): void {
    this.deps.told(notification);
    const body = {
      version: WEBHOOK_BODY_VERSION,
      host: hostname(),
      time: new Date(notification.at).toISOString(),
      ...notification,
    };
    for (const url of new Set(this.deps.webhookUrls(notification.program))) {
      const delivery = postWebhook(url, body, this.#webhook).then((result) => {
        if (!result.ok) {
          this.deps.failed(
            notification.program,
            `the webhook ${url} was not reached after ${result.attempts} attempts: ${result.reason}`,
          );
        }
      });
      this.#deliveries.add(delivery);
      void delivery.finally(() => this.#deliveries.delete(delivery));
    }
  }
}

function summaryOf(held: Held<NotificationKind>): Notification {
  const kinds = Object.entries(held.kinds)
    .map(([kind, count]) => `${count} ${kind}`)
    .join(', ');
  return {
    kind: 'summary',
    program: held.key,
    message: `${held.key}: ${held.count} more since the last notification (${kinds})`,
    at: held.until,
    held: { count: held.count, kinds: held.kinds, since: held.since, until: held.until },
  };
}
