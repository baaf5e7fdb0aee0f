// The desktop app's embedded backend (electron/main/listeners.ts, plain Node): it serves the Unix socket,
// so the real `proctor` binary drives it, and /metrics on 127.0.0.1 at the port Settings name.
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChildInfo } from '../../shared/model';
import { ProctorService } from '../../electron/core/service';
import { serveEmbedded, type EmbeddedListeners } from '../../electron/main/listeners';
import { ensureBuilt, freshSocket, proctor } from '../support/cli';
import { freePort } from '../support/ports-and-cpu';

vi.setConfig({ testTimeout: 120_000 });

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function embedded(socket: string): Promise<{ service: ProctorService; listeners: EmbeddedListeners }> {
  const service = new ProctorService({
    version: 'embedded-test',
    transport: 'ipc',
    settingsFile: join(mkdtempSync(join(tmpdir(), 'proctor-embedded-')), 'settings.json'),
  });
  await service.start();
  const listeners = await serveEmbedded(service, socket, pino({ level: 'silent' }));
  cleanups.push(async () => {
    await listeners.close();
    await service.shutdown('terminate');
  });
  return { service, listeners };
}

/** GET /metrics with the Host header given, answering the status and the body. */
function get(port: number, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/metrics', headers: { host } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe("the desktop app's embedded backend", () => {
  it('serves the socket: the command line starts, lists and stops its children', async () => {
    ensureBuilt();
    const socket = freshSocket();
    const { service, listeners } = await embedded(socket);
    expect(listeners.socketPath).toBe(socket);
    const started = await proctor(socket, ['run', '--name', 'from-cli', '--', 'sleep', '30']);
    expect(started.status, started.stderr).toBe(0);
    const child = service.supervisor.children().find((c) => c.info().name === 'from-cli')!;
    expect(child.isAlive()).toBe(true);
    const listed = JSON.parse((await proctor(socket, ['ps', '--json'])).stdout) as ChildInfo[];
    expect(listed.map((c) => [c.name, c.state])).toEqual([['from-cli', 'running']]);
    expect((await proctor(socket, ['stop', 'from-cli'])).status).toBe(0);
    expect(child.isAlive()).toBe(false);
  });

  it('leaves the socket to a backend that answers there first, and still runs', async () => {
    const socket = freshSocket();
    await embedded(socket);
    const { listeners } = await embedded(socket);
    expect(listeners.socketPath).toBeNull();
  });

  it("serves /metrics at the Settings' port on 127.0.0.1 only, and follows a change", async () => {
    const { service, listeners } = await embedded(freshSocket());
    expect(listeners.metricsPort()).toBeNull();
    const port = await freePort();
    await service.invoke('settings:set', { metricsPort: port });
    await vi.waitFor(() => expect(listeners.metricsPort()).toBe(port));
    const scraped = await get(port, `127.0.0.1:${port}`);
    expect(scraped.status).toBe(200);
    expect(scraped.body).toMatch(/^proctor_monitor_processes \d+$/m);
    // A page that rebinds its own name to 127.0.0.1 sends its own Host: refused.
    expect((await get(port, `evil.example:${port}`)).status).toBe(421);

    await service.invoke('settings:set', { metricsPort: 0 });
    await vi.waitFor(() => expect(listeners.metricsPort()).toBeNull());
    await expect(get(port, `127.0.0.1:${port}`)).rejects.toThrow(/ECONNREFUSED/);
  });
});
