// /metrics' doors: only a bearer token opens it, a foreign Origin never does, and --metrics-port
// serves it alone on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServerOptions } from '../../electron/server/options';
import { startMetricsServer, type MetricsServer } from '../../electron/server/metrics-route';
import { parseExposition } from '../support/exposition';
import { startInProcessServer, type InProcessServer } from '../support/in-process-server';

let running: InProcessServer;
let origin: string;
let metricsPort: MetricsServer;

beforeAll(async () => {
  running = await startInProcessServer();
  origin = new URL(running.server.url).origin;
  metricsPort = await startMetricsServer(running.service.metrics(), { port: 0, token: running.token });
});
afterAll(async () => {
  await metricsPort.close();
  await running.stop();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('GET /metrics on the headless server', () => {
  it("answers 401 with a Bearer challenge without the token, with a wrong one, and to the page's ways in", async () => {
    const bare = await fetch(`${origin}/metrics`);
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await fetch(`${origin}/metrics`, { headers: bearer('wrong-token-wrong-token') })).status).toBe(
      401,
    );
    // The page's query token and cookie open the page, not /metrics.
    expect((await fetch(`${origin}/metrics?token=${running.token}`)).status).toBe(401);
    const cookie = `proctor_token=${running.token}`;
    expect((await fetch(`${origin}/metrics`, { headers: { cookie } })).status).toBe(401);
  });

  it('answers 403 to a foreign Origin even with the right token', async () => {
    const response = await fetch(`${origin}/metrics`, {
      headers: { ...bearer(running.token), origin: 'https://evil.example' },
    });
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('proctor_');
  });

  it("serves the text exposition to the bearer of the token, also from the page's own origin", async () => {
    for (const headers of [bearer(running.token), { ...bearer(running.token), origin }]) {
      const response = await fetch(`${origin}/metrics`, { headers });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const names = new Set(parseExposition(await response.text()).map((s) => s.name));
      for (const name of [
        'proctor_monitor_processes',
        'proctor_monitor_tick_seconds_count',
        'process_cpu_seconds_total',
      ])
        expect(names).toContain(name);
    }
  });

  it('answers 405 to anything but GET and HEAD', async () => {
    const response = await fetch(`${origin}/metrics`, { method: 'POST', headers: bearer(running.token) });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('--metrics-port', () => {
  it('listens on 127.0.0.1 only and serves /metrics alone, behind the same token', async () => {
    expect(metricsPort.url).toBe(`http://127.0.0.1:${metricsPort.port}/metrics`);
    expect((await fetch(metricsPort.url)).status).toBe(401);
    expect((await fetch(metricsPort.url, { headers: bearer(running.token) })).status).toBe(200);
    expect(
      (await fetch(`http://127.0.0.1:${metricsPort.port}/`, { headers: bearer(running.token) })).status,
    ).toBe(404);
    const foreign = await fetch(metricsPort.url, { headers: { ...bearer(running.token), origin } });
    expect(foreign.status).toBe(403);
  });

  it('is parsed as a port, with a clear error otherwise', () => {
    expect(parseServerOptions(['--metrics-port', '9464']).metricsPort).toBe(9464);
    expect(parseServerOptions([]).metricsPort).toBeNull();
    expect(() => parseServerOptions(['--metrics-port', 'x'])).toThrow(
      '--metrics-port must be 0..65535, not x',
    );
    expect(() => parseServerOptions(['--metrics-port', '70000'])).toThrow('--metrics-port must be 0..65535');
  });
});
