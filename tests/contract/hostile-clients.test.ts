// Hostile clients against the real built headless backend (`out/main/server.js`, built by `npm test`'s
// build step): every request and frame that once killed it, then seeded fuzzing of raw WebSocket frames
// and raw HTTP requests, before and after the token. Through all of it, the process lives on, answers,
// and a child it supervised before the first blow keeps running with the same pid.
import { once } from 'node:events';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WS_CLOSE_PROTOCOL, WS_PATH } from '../../shared/wire';
import { isRunning, startBackend, stopBackend, type Backend } from '../support/backend-process';
import { encodeFrame, inParallel, rawHttp, rawUpgrade, type RawFrame } from '../support/raw-clients';

const SEED = 20261202;
const FRAMES = 5_000;
const REQUESTS = 2_000;
/** Each fuzz takes a few seconds; the bound is for a machine under heavy load from other work. */
const FUZZ_MS = 120_000;

let backend: Backend;
let port: number;
let sleeper: { id: string; pid: number };

/** Starting the built server on a loaded machine: the backend module waits up to 60 s for its URL. */
const STARTUP_MS = 90_000;

beforeAll(async () => {
  backend = await startBackend({ captureStderr: true });
  port = Number(new URL(backend.origin).port);
  const child = await backend.call('children:start', {
    command: 'sh',
    args: ['-c', 'exec sleep 600'],
    name: 'survivor',
  });
  sleeper = { id: child.id, pid: child.pid! };
}, STARTUP_MS);

afterAll(async () => {
  if (backend) await stopBackend(backend);
});

/** The backend is up, answers the contract, and the child from before is the same running process. */
async function expectAlive(): Promise<void> {
  expect(isRunning(backend), `backend died; its stderr:\n${backend.stderr().slice(-4000)}`).toBe(true);
  const info = await backend.call('app:info', {});
  expect(info.pid).toBe(backend.process.pid);
  const [child] = (await backend.call('children:list', {})).filter((c) => c.id === sleeper.id);
  expect(child).toMatchObject({ state: 'running', pid: sleeper.pid });
}

const withToken = () => `${WS_PATH}?token=${encodeURIComponent(backend.token)}`;

/** Upgrades, writes the bytes, and waits until the server has dealt with them (closed, or a bounded wait). */
async function sendFrames(path: string, bytes: Buffer[]): Promise<string> {
  const upgraded = await rawUpgrade(port, path);
  for (const chunk of bytes) upgraded.socket.write(chunk);
  upgraded.socket.end();
  await upgraded.closed;
  return upgraded.status;
}

const text = (value: string | Uint8Array): Uint8Array =>
  typeof value === 'string' ? new TextEncoder().encode(value) : value;
const BAD_UTF8 = Uint8Array.from([0x7b, 0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]);

describe('frames that once killed the server', () => {
  it('survives a header announcing 2^40 bytes before any token', async () => {
    const header = Buffer.from('81ff0000010000000000' + '01020304', 'hex');
    expect(await sendFrames(WS_PATH, [header])).toMatch(/ 101 /);
    await expectAlive();
  });

  it('survives a text frame of invalid UTF-8 before any token', async () => {
    await sendFrames(WS_PATH, [encodeFrame({ opcode: 1, payload: BAD_UTF8 })]);
    await expectAlive();
  });

  it('survives a frame over 1 MB with the token', async () => {
    const big = new Uint8Array(1024 * 1024 + 10).fill(0x20);
    await sendFrames(withToken(), [encodeFrame({ opcode: 1, payload: big })]);
    await expectAlive();
  });

  it('survives an unknown opcode, a bad-UTF-8 text frame and an unmasked frame with the token', async () => {
    await sendFrames(withToken(), [encodeFrame({ opcode: 3, payload: text('{}') })]);
    await sendFrames(withToken(), [encodeFrame({ opcode: 1, payload: BAD_UTF8 })]);
    await sendFrames(withToken(), [encodeFrame({ opcode: 1, payload: text('{}'), mask: null })]);
    await expectAlive();
  });

  it.each([
    ['an object with toString', { toString: 1 }],
    ['a list holding a real name', ['app:info']],
    ['a number', 7],
    ['null', null],
  ])('closes the socket as a protocol error when the name is %s, and lives on', async (_what, name) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}${withToken()}`, { origin: backend.origin });
    await once(socket, 'open');
    const closed = once(socket, 'close') as Promise<[number]>;
    socket.send(JSON.stringify({ kind: 'invoke', id: 1, name, request: {} }));
    const [code] = await closed;
    expect(code).toBe(WS_CLOSE_PROTOCOL);
    await expectAlive();
  });
});

describe('requests that once killed the server', () => {
  const get = (target: string, headers: Record<string, string> = {}): Promise<string> =>
    rawHttp(
      port,
      [
        `GET ${target} HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        'Connection: close',
        ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
        '',
        '',
      ].join('\r\n'),
    );

  it('answers 401 to a token cookie that does not decode', async () => {
    expect(await get('/', { Cookie: 'proctor_token=%' })).toMatch(/ 401 /);
    expect(await get('/', { Cookie: 'a=b; proctor_token=%E0%A4%A' })).toMatch(/ 401 /);
    await expectAlive();
  });

  it.each(['/%zz', '/%', '/%E0%A4%A', '/%00', '/..%2f..%2f..%2fetc%2fpasswd'])(
    'answers 404 to GET %s with the token',
    async (path) => {
      expect(await get(`${path}?token=${backend.token}`)).toMatch(/ 404 /);
      await expectAlive();
    },
  );

  it('refuses a Host that is not ours, on HTTP and on the WebSocket (DNS rebinding)', async () => {
    const target = `/?token=${backend.token}`;
    const foreign = await rawHttp(
      port,
      `GET ${target} HTTP/1.1\r\nHost: evil.example:${port}\r\nConnection: close\r\n\r\n`,
    );
    expect(foreign).toMatch(/ 403 /);
    const upgraded = await rawUpgrade(port, withToken(), {});
    expect(upgraded.status).toMatch(/ 101 /);
    upgraded.socket.destroy();
    const rebound = new WebSocket(`ws://127.0.0.1:${port}${withToken()}`, {
      headers: { Host: `evil.example:${port}` },
    });
    const [error] = (await once(rebound, 'error')) as [Error];
    expect(error.message).toMatch(/403/);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      expect(
        await rawHttp(port, `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
      ).toMatch(/ 200 /);
    }
    await expectAlive();
  });
});

describe('a start too big for the kernel', () => {
  it('refuses one argument over 128 KiB in bytes (65,536 × "€" is 196 KB) as E_INVALID', async () => {
    const result = await backend.invoke('children:start', { command: 'echo', args: ['€'.repeat(65_536)] });
    expect(result).toMatchObject({ ok: false, error: { code: 'E_INVALID', path: 'args.0' } });
    const env = await backend.invoke('children:start', {
      command: 'true',
      env: { BIG: 'x'.repeat(131_070) },
    });
    expect(env).toMatchObject({ ok: false, error: { code: 'E_INVALID', path: 'env.BIG' } });
    await expectAlive();
  });
});

// ---------------------------------------------------------------------------------------------------------
// The fuzz: seeded, so a failure replays; bounded, so it ends in seconds.

const opcode = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(0x1, 0x2, 0x0, 0x8, 0x9, 0xa) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 15 }) },
);
const payload = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc.string({ maxLength: 64 }).map(text),
  fc.constant(BAD_UTF8),
  fc
    .constantFrom(
      '{"kind":"invoke","id":1,"name":"app:info","request":{}}',
      '{"kind":"invoke","id":2,"name":"children:list","request":{}}',
      '{"kind":"invoke","id":3,"name":{"toString":1},"request":{}}',
      '{"kind":"invoke","id":4,"name":["settings:get"],"request":{}}',
      '{"kind":"invoke","id":1e400,"name":"app:info"}',
      '{"kind":"invoke"',
      '[]',
    )
    .map(text),
  // A close frame's body: a code (valid or not) and a reason (maybe bad UTF-8).
  fc
    .tuple(fc.integer({ min: 0, max: 65_535 }), fc.uint8Array({ maxLength: 8 }))
    .map(([code, reason]) => Uint8Array.from([code >> 8, code & 0xff, ...reason])),
);
const announced = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(2n ** 40n, 2n ** 63n, 2n ** 64n - 1n, 1024n * 1024n + 1n, 125n, 70_000n),
  },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) },
);
const frameArb: fc.Arbitrary<RawFrame> = fc.record({
  fin: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  rsv: fc.oneof(
    { weight: 6, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 7 }) },
  ),
  opcode,
  payload,
  mask: fc.oneof(
    { weight: 8, arbitrary: fc.uint8Array({ minLength: 4, maxLength: 4 }) },
    { weight: 1, arbitrary: fc.constant(null) },
  ),
  announced,
});
/** One connection's worth: who it claims to be, and a few frames, cut into random TCP chunks. */
const connectionArb = fc.record({
  auth: fc.constantFrom('token', 'none', 'wrong'),
  frames: fc.array(frameArb, { minLength: 1, maxLength: 9 }),
  split: fc.boolean(),
});

describe('fuzzing', () => {
  it(
    `survives ≥ ${FRAMES} random WebSocket frames, before and after the token`,
    async () => {
      const connections = [];
      let frames = 0;
      for (const connection of fc.sample(connectionArb, { numRuns: FRAMES, seed: SEED })) {
        if (frames >= FRAMES) break;
        connections.push(connection);
        frames += connection.frames.length;
      }
      const paths = { token: withToken(), none: WS_PATH, wrong: `${WS_PATH}?token=not-the-token-at-all` };
      const counts = { token: 0, none: 0, wrong: 0 };
      const started = Date.now();
      await inParallel(connections, 8, async ({ auth, frames: list, split }) => {
        const bytes = Buffer.concat(list.map(encodeFrame));
        // Split: the same bytes in odd-sized pieces, so the parser meets headers cut anywhere.
        const chunks = split ? [bytes.subarray(0, 3), bytes.subarray(3, 11), bytes.subarray(11)] : [bytes];
        expect(await sendFrames(paths[auth], chunks)).toMatch(/ 101 /);
        counts[auth] += list.length;
      });
      console.log(
        `hostile: ${frames} frames on ${connections.length} connections (seed ${SEED}; ${counts.token} with the token, ${counts.none} without, ${counts.wrong} with a wrong one) in ${Date.now() - started} ms`,
      );
      expect(frames).toBeGreaterThanOrEqual(FRAMES);
      expect(counts.token).toBeGreaterThan(FRAMES / 5);
      await expectAlive();
    },
    FUZZ_MS,
  );

  const METHODS = [
    'GET',
    'HEAD',
    'POST',
    'PUT',
    'DELETE',
    'OPTIONS',
    'PATCH',
    'TRACE',
    'CONNECT',
    'BREW',
    'G\0T',
  ];
  const pathPart = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        '',
        'index.html',
        'ws',
        '..',
        '.',
        '%zz',
        '%',
        '%E0%A4%A',
        '%00',
        '%2f',
        '%2e%2e',
      ),
    },
    { weight: 3, arbitrary: fc.string({ maxLength: 12 }).map((s) => encodeURIComponent(s)) },
    {
      weight: 3,
      arbitrary: fc
        .uint8Array({ maxLength: 6 })
        .map((bytes) => [...bytes].map((b) => `%${b.toString(16)}`).join('')),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 8 }) },
  );
  const target = fc.oneof(
    { weight: 8, arbitrary: fc.array(pathPart, { maxLength: 5 }).map((parts) => `/${parts.join('/')}`) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('*', 'http://[', 'http://evil.example/', '//', '/'.repeat(3000)),
    },
  );
  const query = (token: string) =>
    fc.constantFrom('', `?token=${token}`, '?token=', '?token=%', '?token=wrong&token=' + token, '?a=%zz');
  const headerValue = fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 24 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 16 }) },
  );
  const headerName = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom(
        'Accept',
        'Origin',
        'Referer',
        'Authorization',
        'X-Forwarded-Host',
        'Range',
        'Sec-WebSocket-Key',
        'Cookie',
        'Host',
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  );
  const requestArb = (token: string) =>
    fc.record({
      method: fc.oneof(
        { weight: 6, arbitrary: fc.constant('GET') },
        { weight: 3, arbitrary: fc.constantFrom(...METHODS) },
      ),
      target,
      query: query(token),
      version: fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom('HTTP/1.1', 'HTTP/1.0') },
        { weight: 1, arbitrary: fc.constantFrom('HTTP/2', 'HTTP/9.9', '') },
      ),
      host: fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom('ours', 'localhost') },
        { weight: 1, arbitrary: fc.constantFrom('evil.example', '[', '', 'none') },
      ),
      cookie: fc.constantFrom(
        undefined,
        'proctor_token=%',
        `proctor_token=${token}`,
        `proctor_token=${encodeURIComponent(token)}; x=%E0%A4%A`,
        'proctor_token',
        ';;=;',
      ),
      extra: fc.array(fc.tuple(headerName, headerValue), { maxLength: 3 }),
      upgrade: fc.oneof(
        { weight: 4, arbitrary: fc.constant(false) },
        { weight: 1, arbitrary: fc.constant(true) },
      ),
      body: fc.oneof(fc.constant(''), fc.string({ maxLength: 40 })),
      length: fc.constantFrom('right', 'none', 'wrong', 'chunked-garbage'),
    });

  it(
    `survives ≥ ${REQUESTS} random raw HTTP requests, before and after the token`,
    async () => {
      const requests = fc.sample(requestArb(backend.token), { numRuns: REQUESTS, seed: SEED });
      const statuses = new Map<string, number>();
      const started = Date.now();
      await inParallel(requests, 16, async (r) => {
        const host = { ours: `127.0.0.1:${port}`, none: null }[r.host as 'ours' | 'none'] ?? r.host;
        const lines = [`${r.method} ${r.target}${r.query} ${r.version}`.trimEnd()];
        if (host !== null) lines.push(`Host: ${host}`);
        if (r.cookie !== undefined) lines.push(`Cookie: ${r.cookie}`);
        if (r.upgrade) lines.push('Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Version: 13');
        for (const [name, value] of r.extra) lines.push(`${name}: ${value}`);
        const body = Buffer.from(r.body);
        if (r.length === 'right') lines.push(`Content-Length: ${body.length}`);
        // Every request is complete as sent, so each is answered (or refused) without waiting: a length
        // shorter than the body leaves garbage for Node's parser, a chunked body is never valid chunks.
        if (r.length === 'wrong') lines.push(`Content-Length: ${Math.max(0, body.length - 7)}`);
        if (r.length === 'chunked-garbage') lines.push('Transfer-Encoding: chunked');
        const tail = r.length === 'chunked-garbage' ? Buffer.concat([body, Buffer.from('\r\nzz\r\n')]) : body;
        const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
        const status = await rawHttp(port, Buffer.concat([head, tail]));
        const code = /^HTTP\/1\.[01] (\d{3})/.exec(status)?.[1] ?? 'closed';
        statuses.set(code, (statuses.get(code) ?? 0) + 1);
      });
      console.log(
        `hostile: ${requests.length} raw HTTP requests (seed ${SEED}) in ${Date.now() - started} ms, answers ${JSON.stringify(Object.fromEntries(statuses))}`,
      );
      // A 500 would mean a handler failed on a client's input; the bad ones are 4xx, or closed by Node's parser.
      expect(statuses.get('500') ?? 0).toBe(0);
      expect(statuses.get('200') ?? 0).toBeGreaterThan(0);
      expect(statuses.get('401') ?? 0).toBeGreaterThan(0);
      await expectAlive();
    },
    FUZZ_MS,
  );

  it('logged the clients it refused, and nothing went unhandled', () => {
    const log = backend.stderr();
    expect(log).toMatch(/\[proctor\] WebSocket frame: RangeError/);
    expect(log).not.toMatch(/Unhandled|uncaught|TypeError/i);
  });
});
