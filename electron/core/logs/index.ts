// What the service plugs in: every child's output to disk by name, a post-mortem on every exit
// nobody asked for, and the notifications those deserve. Faults become `logs:warning` events; none
// of them ever reaches the child or the in-memory output.
import type { EventMap } from '../../../shared/contract';
import { runNote } from '../../../shared/log-notes';
import type { LogWarning, NotificationKind, Settings } from '../../../shared/model';
import type { OutputBlock } from '../supervisor/output';
import type { BurstOptions } from '../notify/limiter';
import { Notifier } from '../notify/notifier';
import type { WebhookOptions } from '../notify/webhook';
import { LogBook } from './book';
import { defaultLogsRoot } from './paths';
import { PostMortemRecorder, type DeadChild, type RecorderDeps } from './postmortem';
import { PostMortemStore } from './postmortem-store';
import type { ProgramLogs } from './program-logs';
import type { LogLimits } from './writer';

export { defaultLogsRoot } from './paths';
export type { LogLimits } from './writer';

export interface LogsOptions {
  /** Default `$XDG_STATE_HOME/proctor/logs`. */
  root?: string;
  /** Bounds besides the settings' segment size and count (the writer's queue in memory). */
  limits?: Partial<LogLimits>;
  webhook?: Partial<WebhookOptions>;
  burst?: Partial<BurstOptions>;
}

/** The monitor's last rows, interval and history rings, for the family at the moment of death. */
export interface LogsDeps extends Pick<RecorderDeps, 'familyRows' | 'intervalMs' | 'history'> {
  /** Registers a call after each monitor tick. */
  onTick(listener: () => void): void;
  settings(): Settings;
  /** A program's own log folder, rotation and webhook from the stack file, by its child's name. */
  programLogs(name: string): ProgramLogs | null;
  emit<E extends keyof EventMap>(event: E, payload: EventMap[E]): void;
}

const NOTIFY_SETTING = {
  crash: 'notifyCrash',
  fatal: 'notifyFatal',
  blocked: 'notifyBlocked',
  unhealthy: 'notifyUnhealthy',
} as const satisfies Record<NotificationKind, keyof Settings>;

/** How long shutdown waits for webhook deliveries still under way. */
const CLOSE_DELIVERY_MS = 2000;

export function logLimitsOf(settings: Settings): Partial<LogLimits> {
  return { maxBytes: settings.logMaxBytes, maxFiles: settings.logMaxFiles };
}

export class Logs {
  readonly book: LogBook;
  readonly postMortems: PostMortemStore;
  readonly notifier: Notifier;
  readonly #recorder: PostMortemRecorder;
  readonly #programLogs: LogsDeps['programLogs'];

  constructor(options: LogsOptions, deps: LogsDeps) {
    this.#programLogs = deps.programLogs;
    const warn = (warning: LogWarning): void => deps.emit('logs:warning', warning);
    this.book = new LogBook(
      options.root ?? defaultLogsRoot(),
      { ...options.limits, ...logLimitsOf(deps.settings()) },
      warn,
    );
    this.postMortems = new PostMortemStore(this.book.root);
    this.notifier = new Notifier({
      webhookUrls: (program) =>
        [deps.settings().webhookUrl, deps.programLogs(program)?.webhookUrl ?? ''].filter((url) => url !== ''),
      enabled: (kind) => deps.settings()[NOTIFY_SETTING[kind]],
      told: (notification) => deps.emit('notification', notification),
      failed: (program, message) => warn({ program, kind: 'webhook', message, at: Date.now() }),
      webhook: options.webhook,
      burst: options.burst,
    });
    this.#recorder = new PostMortemRecorder({
      store: this.postMortems,
      familyRows: deps.familyRows,
      intervalMs: deps.intervalMs,
      history: deps.history,
      recorded: (summary) => {
        deps.emit('postmortem:new', summary);
        this.notifier.postMortem(summary);
      },
      failed: (program, error) =>
        warn({
          program,
          kind: 'write',
          message: `a post-mortem could not be saved: ${error.message}`,
          at: Date.now(),
        }),
    });
    deps.onTick(() => this.#recorder.sampled());
  }

  /** Every block of lines of a supervised child, under its name. */
  output(name: string, block: OutputBlock): void {
    this.book.append(name, block);
  }

  /**
   * A run began: the program's own log settings as the stack file has them now, then a separator in
   * the log, so the window can tell one run from the next.
   */
  runStarted(name: string, restarts: number): void {
    this.book.configure(name, this.#programLogs(name));
    this.book.note(name, runNote(restarts));
  }

  /** An exit: a post-mortem unless it was asked for (terminate, kill, stop, quit). */
  exited(child: DeadChild, requested: boolean): void {
    this.#recorder.exited(child, requested);
  }

  applySettings(settings: Settings): void {
    this.book.setLimits(logLimitsOf(settings));
  }

  async close(): Promise<void> {
    const delivered = this.notifier.close();
    await this.book.close();
    await Promise.race([delivered, new Promise((resolve) => setTimeout(resolve, CLOSE_DELIVERY_MS).unref())]);
  }
}
