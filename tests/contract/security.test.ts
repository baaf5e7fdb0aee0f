// Headless mode's doors: the token on HTTP and WebSocket, the Origin check, and the static root.
// The WebSocket's token is what authenticates: a page of another origin (another Proctor's machine
// switcher) gets in with it, never without.
import { once } from 'node:events';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WS_CLOSE_UNAUTHORIZED, WS_PATH } from '../../shared/wire';
import { connectContract } from '../support/ws-client';
import { startInProcessServer, type InProcessServer } from '../support/in-process-server';

let running: InProcessServer;
let origin: string;

beforeAll(async () => {
  running = await startInProcessServer();
  origin = new URL(running.server.url).origin;
});
afterAll(() => running.stop());

async function closeCode(url: string, socketOrigin: string): Promise<number> {
  const socket = new WebSocket(url, { origin: socketOrigin });
  const [code] = (await once(socket, 'close')) as [number];
  return code;
}

describe('HTTP', () => {
  it('answers 401 without a token', async () => {
    expect((await fetch(`${origin}/`)).status).toBe(401);
  });

  it('answers 401 with a wrong token', async () => {
    expect((await fetch(`${origin}/?token=wrong-token-wrong-token`)).status).toBe(401);
  });

  it('serves the page with the token and sets an HttpOnly cookie for its assets', async () => {
    const response = await fetch(`${origin}/?token=${running.token}`);
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const withCookie = await fetch(`${origin}/index.html`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(withCookie.status).toBe(200);
  });

  it("keeps /metrics shut to another origin even with the bearer: the socket's rule is not its rule", async () => {
    const bearer = { authorization: `Bearer ${running.token}` };
    expect((await fetch(`${origin}/metrics`)).status).toBe(401);
    expect((await fetch(`${origin}/metrics`, { headers: bearer })).status).toBe(200);
    const foreign = await fetch(`${origin}/metrics`, {
      headers: { ...bearer, origin: 'http://127.0.0.1:1' },
    });
    expect(foreign.status).toBe(403);
  });

  it('never serves files outside the renderer root', async () => {
    const response = await fetch(`${origin}/..%2f..%2fpackage.json?token=${running.token}`);
    expect(response.status).toBe(404);
  });

  it('never follows a symlink out of the renderer root, and follows one that stays inside', async () => {
    const outside = join(mkdtempSync(join(tmpdir(), 'proctor-outside-')), 'secret.txt');
    writeFileSync(outside, 'secret');
    symlinkSync(outside, join(running.rendererRoot, 'leak.txt'));
    symlinkSync(tmpdir(), join(running.rendererRoot, 'tmp'));
    symlinkSync(join(running.rendererRoot, 'index.html'), join(running.rendererRoot, 'alias.html'));
    const get = (path: string) => fetch(`${origin}${path}?token=${running.token}`);
    expect((await get('/leak.txt')).status).toBe(404);
    expect((await get(`/tmp/${basename(dirname(outside))}/secret.txt`)).status).toBe(404);
    expect((await get('/alias.html')).status).toBe(200);
  });
});

describe('WebSocket', () => {
  it('closes with 4401 without a token', async () => {
    expect(await closeCode(`ws://${new URL(origin).host}${WS_PATH}`, origin)).toBe(WS_CLOSE_UNAUTHORIZED);
  });

  it('closes with 4401 with a wrong token', async () => {
    expect(await closeCode(`ws://${new URL(origin).host}${WS_PATH}?token=nope-nope-nope-nope`, origin)).toBe(
      WS_CLOSE_UNAUTHORIZED,
    );
  });

  it('refuses the upgrade from a foreign Origin that offers no token', async () => {
    const socket = new WebSocket(`ws://${new URL(origin).host}${WS_PATH}`, {
      origin: 'https://evil.example',
    });
    const [error] = (await once(socket, 'error')) as [Error];
    expect(error.message).toMatch(/403/);
  });

  it("closes with 4401 a foreign Origin's wrong token, so another Proctor's window can say so", async () => {
    const url = `ws://${new URL(origin).host}${WS_PATH}?token=nope-nope-nope-nope`;
    expect(await closeCode(url, 'http://127.0.0.1:1')).toBe(WS_CLOSE_UNAUTHORIZED);
  });

  it("lets another Proctor's window in with the token, and says which machine it reached", async () => {
    const client = await connectContract(running.server.url, running.token, 'http://127.0.0.1:1');
    const info = await client.call('app:info', {});
    expect(info).toMatchObject({ name: 'Proctor', hostname: hostname(), pid: process.pid });
    client.close();
  });

  it('answers the contract with the right token and Origin', async () => {
    const client = await connectContract(running.server.url, running.token);
    const info = await client.call('app:info', {});
    expect(info).toMatchObject({ name: 'Proctor', transport: 'websocket', pid: process.pid });
    client.close();
  });

  it('answers an unknown channel with E_NO_SUCH_CHANNEL', async () => {
    const client = await connectContract(running.server.url, running.token);
    const result = await client.invokeRaw('children:explode', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'E_NO_SUCH_CHANNEL' } });
    client.close();
  });

  it('closes a socket that sends something other than a contract frame', async () => {
    const client = await connectContract(running.server.url, running.token);
    const closed = once(client.socket, 'close');
    client.socket.send('not json at all');
    const [code] = (await closed) as [number];
    expect(code).toBe(4400);
  });
});

describe('an unexpected error inside a handler', () => {
  let broken: InProcessServer;
  // The service's own logger, writing its JSON lines where the test can read them.
  const logged: Array<{ level: number; command?: string; msg: string }> = [];
  const log = pino(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged.push(JSON.parse(chunk.toString()) as { level: number; command?: string; msg: string });
        done();
      },
    }),
  );
  beforeAll(async () => {
    // A lessons backend with a bug in one command: the rest of the service is the real one.
    broken = await startInProcessServer({
      log,
      lessons: () => ({
        list: () =>
          Promise.resolve({ python: { found: false, path: null, version: null, hint: null }, lessons: [] }),
        get: () => Promise.reject(new TypeError("Cannot read properties of undefined (reading 'title')")),
        run: () => Promise.reject(new Error('not used')),
        saveEdit: () => Promise.reject(new Error('not used')),
        restore: () => Promise.reject(new Error('not used')),
        familyGraph: () => Promise.reject(new Error('not used')),
        dispose: () => undefined,
      }),
    });
  });
  afterAll(() => broken.stop());

  it('answers E_INTERNAL to that client only, logs it, and serves everyone on', async () => {
    const victim = await connectContract(broken.server.url, broken.token);
    const bystander = await connectContract(broken.server.url, broken.token);
    const [failed, info] = await Promise.all([
      victim.invokeRaw('lessons:get', { id: 'x' }),
      bystander.call('app:info', {}),
    ]);
    expect(failed).toEqual({
      ok: false,
      error: { code: 'E_INTERNAL', message: "Cannot read properties of undefined (reading 'title')" },
    });
    expect(info.pid).toBe(process.pid);
    expect(logged.map(({ level, command, msg }) => ({ level, command, msg }))).toEqual([
      { level: 50, command: 'lessons:get', msg: 'command failed unexpectedly' },
    ]);
    // The same client goes on: its socket was not closed for another command's bug.
    expect(await victim.call('settings:get', {})).toMatchObject({ graceMs: 5000 });
    expect(bystander.socket.readyState).toBe(bystander.socket.OPEN);
    victim.close();
    bystander.close();
  });
});
