// One webhook delivery: a JSON POST with a timeout per attempt and retries with a doubling delay.
export interface WebhookOptions {
  /** Per attempt; a server that hangs is given up on after this. */
  timeoutMs: number;
  /** Attempts after the first. */
  retries: number;
  /** Delay before the first retry; it doubles each time. */
  backoffMs: number;
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = { timeoutMs: 5000, retries: 3, backoffMs: 1000 };

export type Delivery = { ok: true; attempts: number } | { ok: false; attempts: number; reason: string };

/** Resolves with how it went; never rejects. Any 2xx answer is a delivery. */
export async function postWebhook(url: string, body: unknown, options: WebhookOptions): Promise<Delivery> {
  const payload = JSON.stringify(body);
  let reason = '';
  for (let attempt = 0; attempt <= options.retries; attempt++) {
    if (attempt > 0)
      await new Promise((resolve) => setTimeout(resolve, options.backoffMs * 2 ** (attempt - 1)));
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Proctor' },
        body: payload,
        signal: AbortSignal.timeout(options.timeoutMs),
        redirect: 'error',
      });
      // The body is not used; reading it frees the connection.
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { ok: true, attempts: attempt + 1 };
      reason = `the server answered ${response.status} ${response.statusText}`.trim();
    } catch (error) {
      const name = (error as Error).name;
      reason =
        name === 'TimeoutError'
          ? `no answer within ${options.timeoutMs} ms`
          : `${(error as Error).message}${causeOf(error)}`;
    }
  }
  return { ok: false, attempts: options.retries + 1, reason };
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `: ${cause.message}` : '';
}
