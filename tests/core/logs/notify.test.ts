// Notifications to a real webhook server on 127.0.0.1: one for a crash, one plus a summary for a
// crash loop of 20 exits, and warnings in words for a webhook that answers 500 or hangs.
import { describe, expect, it } from 'vitest';
import { sh } from '../supervisor/helpers';
import { call, collect, logServices, until, webhookServers } from './helpers';

const service = logServices();
const webhookServer = webhookServers();

// A slow answer under load must not count as a failure (it would be retried and arrive twice), so
// only the hanging server's test uses a short timeout.
const fast = { webhook: { timeoutMs: 10_000, retries: 3, backoffMs: 50 }, burst: { quietMs: 1500 } };
const impatient = { ...fast, webhook: { ...fast.webhook, timeoutMs: 500 } };

describe('notifications', () => {
  it('POSTs exactly one notification for one crash', async () => {
    const hook = await webhookServer();
    const s = service({ logs: { ...fast } });
    await call(s, 'settings:set', { webhookUrl: hook.url });
    const told = collect(s, 'notification');
    const child = await call(s, 'children:start', { name: 'once', ...sh('exit 7') });
    await until('the webhook call', () => hook.bodies[0]);
    // Past the quiet period: a lone crash has nothing to summarize.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await s.logs.notifier.close();
    expect(hook.bodies).toHaveLength(1);
    expect(hook.bodies[0]).toMatchObject({
      version: 1,
      kind: 'crash',
      program: 'once',
      exitcode: 7,
      reason: 'exit code 7',
      restarts: 0,
      message: 'once crashed with exit code 7',
    });
    expect(hook.bodies[0]!.postmortemId).toMatch(new RegExp(`-${child.id}$`));
    expect(Date.parse(hook.bodies[0]!.time)).toBeGreaterThan(0);
    expect(told.map((n) => n.kind)).toEqual(['crash']);
  });

  it('tells nothing of a kind turned off in the settings, neither the window nor the webhook', async () => {
    const hook = await webhookServer();
    const s = service({ logs: { ...fast } });
    await call(s, 'settings:set', { webhookUrl: hook.url, notifyCrash: false });
    const told = collect(s, 'notification');
    const posted = collect(s, 'postmortem:new');
    await call(s, 'children:start', { name: 'quiet', ...sh('exit 3') });
    await until('the post-mortem', () => posted[0]);
    await s.logs.notifier.close();
    expect(told).toEqual([]);
    expect(hook.requests()).toBe(0);
  });

  it('sends one notification and one summary for a crash loop of 20 exits', async () => {
    const hook = await webhookServer();
    const s = service({ logs: { ...fast } });
    await call(s, 'settings:set', { webhookUrl: hook.url });
    const postmortems = collect(s, 'postmortem:new');
    const child = await call(s, 'children:start', {
      name: 'looper',
      ...sh('exit 1'),
      restart: { policy: 'always', maxRetries: 19, backoffMs: 0, maxBackoffMs: 0 },
    });
    await call(s, 'children:join', { id: child.id, timeoutMs: 30_000 });
    await until('20 post-mortems', () => (postmortems.length === 20 ? true : undefined));
    await until('the summary', () => hook.bodies.find((body) => body.kind === 'summary'), 10_000);
    await s.logs.notifier.close();
    expect(hook.bodies.map((body) => body.kind)).toEqual(['crash', 'summary']);
    expect(hook.bodies[1]).toMatchObject({
      program: 'looper',
      held: { count: 19, kinds: { crash: 18, fatal: 1 } },
      message: 'looper: 19 more since the last notification (18 crash, 1 fatal)',
    });
  }, 60_000);

  it('warns in words when the webhook answers 500, after 4 attempts', async () => {
    const hook = await webhookServer((res) => res.writeHead(500, 'Internal Server Error').end());
    const s = service({ logs: { ...fast } });
    await call(s, 'settings:set', { webhookUrl: hook.url });
    const warnings = collect(s, 'logs:warning');
    await call(s, 'children:start', { name: 'five', ...sh('exit 5') });
    const warning = await until('the warning', () => warnings.find((w) => w.kind === 'webhook'));
    expect(hook.requests()).toBe(4);
    expect(warning).toMatchObject({ program: 'five' });
    expect(warning.message).toBe(
      `the webhook ${hook.url} was not reached after 4 attempts: the server answered 500 Internal Server Error`,
    );
  });

  it('gives up on a webhook that hangs, after the timeout of each attempt, and goes on', async () => {
    const hook = await webhookServer(() => undefined);
    const s = service({ logs: { ...impatient } });
    await call(s, 'settings:set', { webhookUrl: hook.url });
    const warnings = collect(s, 'logs:warning');
    const started = Date.now();
    await call(s, 'children:start', { name: 'hung', ...sh('exit 9') });
    const warning = await until('the warning', () => warnings.find((w) => w.kind === 'webhook'));
    expect(warning.message).toMatch(/was not reached after 4 attempts: no answer within 500 ms$/);
    expect(hook.requests()).toBe(4);
    // 4 timeouts of 500 ms and backoffs of 50, 100 and 200 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2350);
    // The backend still answers.
    expect((await call(s, 'app:info', {})).name).toBe('Proctor');
  });

  it('refuses a webhook URL that is not http(s), in words, and keeps the old one', async () => {
    const s = service();
    for (const url of ['ftp://example.com/x', 'not a url', 'http://']) {
      const result = await s.invoke('settings:set', { webhookUrl: url });
      expect(result).toMatchObject({
        ok: false,
        error: {
          code: 'E_INVALID',
          path: 'webhookUrl',
          message: 'webhookUrl: webhookUrl must be an http:// or https:// URL with a host, or empty for none',
        },
      });
    }
    expect((await call(s, 'settings:get', {})).webhookUrl).toBe('');
  });
});
