// The Unix socket as a door: who may open it, one backend per socket, a stale file after SIGKILL, and
// lines that are not frames. Backends are real `proctor up` processes.
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, statSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseInvokeFrame } from '../../shared/frames';
import { SOCKET_MAX_LINE_CHARS } from '../../shared/wire';
import { connectSocket } from '../../electron/client/socket-client';
import { ensureBuilt, freshSocket, isAlive, proctor, up, type UpBackend } from '../support/cli';

vi.setConfig({ testTimeout: 120_000 });

const started: UpBackend[] = [];
const upHere = async (socket: string) => {
  const backend = await up(socket);
  started.push(backend);
  return backend;
};

beforeAll(() => ensureBuilt(), 120_000);
afterEach(() => {
  for (const backend of started.splice(0)) if (isAlive(backend.pid)) backend.process.kill('SIGKILL');
});

/** Everything a raw connection receives until the backend closes it. */
async function exchange(socket: string, sent: string | Buffer): Promise<string> {
  const connection: Socket = createConnection(socket);
  await once(connection, 'connect');
  let received = '';
  connection.on('data', (chunk: Buffer) => (received += chunk.toString()));
  connection.on('error', () => undefined);
  connection.write(sent);
  await once(connection, 'close');
  return received;
}

describe('permissions', () => {
  let backend: UpBackend;
  beforeAll(async () => {
    backend = await up(freshSocket());
  }, 60_000);
  afterAll(() => backend.process.kill('SIGKILL'));

  it('makes the directory 0700 and the socket 0600', () => {
    expect(statSync(dirname(backend.socket)).mode & 0o777).toBe(0o700);
    expect(statSync(backend.socket).mode & 0o777).toBe(0o600);
    expect(statSync(backend.socket).isSocket()).toBe(true);
  });

  it('refuses another user, even one who can reach the directory', () => {
    // Open the directories on the way for this test, so only the socket's own 0600 stands in the way.
    // Only the directories the test made: the temporary root above them is shared with the other tests.
    for (let dir = dirname(backend.socket); dir !== tmpdir() && dir !== '/'; dir = dirname(dir))
      chmodSync(dir, 0o755);
    const script = `require('net').createConnection(${JSON.stringify(backend.socket)})
      .on('connect', () => { console.log('connected'); process.exit(0); })
      .on('error', (e) => { console.log(e.code); process.exit(1); });`;
    const asNobody = spawnSync(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', script],
      { encoding: 'utf8' },
    );
    expect(asNobody.stdout.trim()).toBe('EACCES');
    // The same script as the owner connects: the refusal is the permission, not a broken script.
    const asOwner = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(asOwner.stdout.trim()).toBe('connected');
    chmodSync(dirname(backend.socket), 0o700);
  });
});

describe('one backend per socket', () => {
  it('refuses a second backend with "already running (pid N)" and a non-zero status', async () => {
    const socket = freshSocket();
    const first = await upHere(socket);
    const second = await proctor(socket, ['up']);
    expect(second.status).toBe(1);
    expect(second.stderr).toContain(`Proctor is already running (pid ${first.pid}) on ${socket}`);
    const detached = await proctor(socket, ['up', '--detach']);
    expect(detached.status).toBe(1);
    expect(detached.stderr).toContain(`already running (pid ${first.pid})`);
    expect(isAlive(first.pid)).toBe(true);
    expect((await proctor(socket, ['ps'])).status).toBe(0);
  });

  it('replaces a stale socket left by a backend killed with SIGKILL', async () => {
    const socket = freshSocket();
    const killed = await upHere(socket);
    killed.process.kill('SIGKILL');
    await once(killed.process, 'exit');
    expect(existsSync(socket)).toBe(true);
    const stale = await proctor(socket, ['ps']);
    expect(stale.status).toBe(3);

    const next = await upHere(socket);
    const info = await connectSocket(socket).then(async (client) => {
      const answer = await client.call('app:info', {});
      client.close();
      return answer;
    });
    expect(info.pid).toBe(next.pid);
    expect(statSync(socket).mode & 0o777).toBe(0o600);
  });

  it('up --detach returns once the backend answers; down stops it', async () => {
    const socket = freshSocket();
    const detached = await proctor(socket, ['up', '--detach']);
    expect(detached.status).toBe(0);
    const pid = Number(/\(pid (\d+),/.exec(detached.stdout)?.[1]);
    expect(detached.stdout).toMatch(/^Proctor headless at http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    expect(isAlive(pid)).toBe(true);
    expect((await proctor(socket, ['ps'])).status).toBe(0);
    expect((await proctor(socket, ['down'])).status).toBe(0);
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(socket)).toBe(false);
  });
});

describe('malformed lines', () => {
  let backend: UpBackend;
  let socket: string;
  beforeAll(async () => {
    socket = freshSocket();
    backend = await up(socket);
  }, 60_000);
  afterAll(() => backend.process.kill('SIGKILL'));

  it('answers a line that is not a frame with a protocol error and closes at once, as the WebSocket does', async () => {
    const received = await exchange(
      socket,
      `${JSON.stringify({ kind: 'invoke', id: 1, name: 'app:info', request: {} })}\nnot json\n`,
    );
    const frames = received
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; id?: number; message?: string })
      .filter((frame) => frame.kind !== 'event');
    // The line before it is a good frame, but its answer is not awaited: the connection ends with the error.
    expect(frames).toEqual([
      { kind: 'protocol-error', message: expect.stringMatching(/^expected \{"kind":"invoke"/) },
    ]);
  });

  it('closes a connection whose line runs past the bound, without waiting for its end', async () => {
    const received = await exchange(socket, Buffer.alloc(SOCKET_MAX_LINE_CHARS + 10, 'x'));
    expect(received).toContain('"kind":"protocol-error"');
    expect(received).toContain('longer than');
  });

  it('survives thousands of seeded random lines; the backend answers after', async () => {
    const line = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.json({ maxDepth: 2 }),
      fc
        .record({
          kind: fc.constantFrom('invoke', 'result', 'event', 'INVOKE', ''),
          id: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)),
          name: fc.oneof(fc.constantFrom('app:info', 'children:list', 'nope'), fc.anything({ maxDepth: 1 })),
          request: fc.anything({ maxDepth: 2 }),
        })
        .map((frame) => JSON.stringify(frame)),
    );
    const cases = fc.sample(line, { numRuns: 3000, seed: 20261202 }).map((text) => text.replace(/\n/g, ' '));
    const deadline = Date.now() + 60_000;
    let refused = 0;
    // A hundred lines a connection: every connection ends at its first malformed line with a protocol error.
    for (let i = 0; i < cases.length && Date.now() < deadline; i += 100) {
      const batch = cases.slice(i, i + 100);
      const received = await exchange(socket, `${batch.join('\n')}\n`);
      const firstBad = batch.findIndex((text) => parseInvokeFrame(text) === null);
      if (firstBad >= 0) {
        expect(received).toContain('"kind":"protocol-error"');
        refused++;
      }
    }
    expect(refused).toBeGreaterThanOrEqual(25);
    expect(isAlive(backend.pid)).toBe(true);
    const after = await proctor(socket, ['ps', '--json']);
    expect(after.status).toBe(0);
    expect(backend.stderr()).not.toMatch(/Error|TypeError|at .*\.js/);
  });
});
