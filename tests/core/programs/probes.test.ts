// A probe's check is bounded by its timeout, and stop() ends a check under way: both with real
// processes and a real socket.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Prober, type ProbeNews } from '../../../electron/core/programs/probes';
import { ProbeSchema } from '../../../electron/core/programs/schema';
import { waitFor } from '../supervisor/helpers';

const context = () => ({ cwd: process.cwd(), env: process.env });

describe('Prober', () => {
  it('a check that outlives its timeout fails as timed out, and the next one still runs on its period', async () => {
    const news: ProbeNews[] = [];
    const probe = ProbeSchema.parse({ exec: { command: ['sleep', '5'] }, timeout: 100, period: 150 });
    const prober = new Prober(probe, context, false, (n) => news.push(n));
    prober.start();
    try {
      await waitFor(() => prober.results.length >= 2, 10_000, 20);
      expect(prober.results[0]).toMatchObject({ ok: false, detail: 'timed out after 100 ms' });
      expect(prober.results[1]!.at - prober.results[0]!.at).toBeGreaterThanOrEqual(140);
      expect(news).toHaveLength(1);
    } finally {
      prober.stop();
    }
  });

  it("the initial delay counts from the run's spawn: the time the spawn took is not waited again", async () => {
    const probe = ProbeSchema.parse({ exec: { command: ['true'] }, initial_delay: '1m', period: '1m' });
    const prober = new Prober(probe, context, false, () => undefined);
    // The spawn took the whole delay: the first check runs now, not a minute from now.
    prober.start(60_000);
    try {
      await waitFor(() => prober.results.length === 1, 10_000, 20);
      expect(prober.results[0]).toMatchObject({ ok: true, detail: 'exit 0' });
      expect(prober.passing).toBe(true);
    } finally {
      prober.stop();
    }
  });

  it('stop() during a check records nothing more', async () => {
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as { port: number };
    const probe = ProbeSchema.parse({ tcp_socket: { port }, period: 50 });
    const prober = new Prober(probe, context, false, () => undefined);
    prober.start();
    try {
      await waitFor(() => prober.results.length >= 3, 10_000, 10);
      expect(prober.results.every((r) => r.ok && r.detail === `connected to 127.0.0.1:${port}`)).toBe(true);
      expect(prober.passing).toBe(true);
      prober.stop();
      const count = prober.results.length;
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(prober.results).toHaveLength(count);
    } finally {
      server.close();
    }
  });
});
