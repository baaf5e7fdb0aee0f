// The desktop app's decision, in plain Node: a backend answering on the socket is driven; none answering
// (no file, or a stale one) means an embedded backend. Also where the socket is looked for.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../electron/client/attach';
import { socketPath } from '../../electron/client/socket-path';
import { ProctorService } from '../../electron/core/service';
import { listenContractSocket, type ContractSocketServer } from '../../electron/server/unix-socket';
import { freshSocket } from '../support/cli';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function servedBackend(
  socket: string,
): Promise<{ service: ProctorService; server: ContractSocketServer }> {
  const service = new ProctorService({ version: 'attach-test', transport: 'websocket' });
  await service.start();
  const server = await listenContractSocket(service, socket);
  cleanups.push(async () => {
    await server.close();
    await service.shutdown('terminate');
  });
  return { service, server };
}

const embedded = { kind: 'the embedded backend' };
const embed = async () => embedded;

describe('chooseBackend', () => {
  it('attaches to a backend that answers, and drives it through the socket client', async () => {
    const socket = freshSocket();
    const { service } = await servedBackend(socket);
    let embeds = 0;
    const choice = await chooseBackend(socket, async () => {
      embeds++;
      return embedded;
    });
    expect(choice.kind).toBe('attached');
    expect(embeds).toBe(0);
    if (choice.kind !== 'attached') return;
    expect(choice.info).toMatchObject({ version: 'attach-test', pid: process.pid });
    // The client is a full backend port: commands go through, events come back.
    const states: string[] = [];
    choice.client.on('child:state', (child) => states.push(child.state));
    const child = await choice.client.call('children:start', {
      command: 'sleep',
      args: ['30'],
      name: 'attached',
    });
    expect(service.supervisor.get(child.id)?.isAlive()).toBe(true);
    await choice.client.call('children:terminate', { id: child.id, graceMs: 1000 });
    expect(states).toContain('exited');
    const failed = await choice.client.invoke('children:kill', { id: 'c999' });
    expect(failed).toMatchObject({ ok: false, error: { code: 'E_NO_SUCH_CHILD' } });
    choice.client.close();
    await choice.client.closed;
  });

  it('embeds when there is no socket file', async () => {
    const socket = freshSocket();
    expect(existsSync(socket)).toBe(false);
    expect(await chooseBackend(socket, embed)).toEqual({ kind: 'embedded', backend: embedded });
  });

  it('embeds when the socket file is stale (its backend was killed)', async () => {
    const socket = freshSocket();
    mkdirSync(dirname(socket), { recursive: true });
    const listener = spawn(process.execPath, [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(socket)}, () => console.log('listening'))`,
    ]);
    await once(listener.stdout!, 'data');
    listener.kill('SIGKILL');
    await once(listener, 'exit');
    expect(existsSync(socket)).toBe(true);
    expect(await chooseBackend(socket, embed)).toEqual({ kind: 'embedded', backend: embedded });
  });

  it('embeds when something listens but never answers app:info', async () => {
    const socket = freshSocket();
    mkdirSync(dirname(socket), { recursive: true });
    const listener = spawn(process.execPath, [
      '-e',
      `require('net').createServer(() => {}).listen(${JSON.stringify(socket)}, () => console.log('listening'))`,
    ]);
    cleanups.push(async () => {
      listener.kill('SIGKILL');
      await once(listener, 'exit');
    });
    await once(listener.stdout!, 'data');
    expect(await chooseBackend(socket, embed)).toEqual({ kind: 'embedded', backend: embedded });
  });
});

describe('socketPath', () => {
  it('takes --socket, then PROCTOR_SOCKET, then $XDG_RUNTIME_DIR, then a directory under the config dir', () => {
    const env = { XDG_RUNTIME_DIR: '/run/user/1000', XDG_CONFIG_HOME: '/home/u/.config' };
    expect(socketPath('/tmp/a.sock', { ...env, PROCTOR_SOCKET: '/tmp/b.sock' })).toBe('/tmp/a.sock');
    expect(socketPath(undefined, { ...env, PROCTOR_SOCKET: '/tmp/b.sock' })).toBe('/tmp/b.sock');
    expect(socketPath(undefined, env)).toBe('/run/user/1000/proctor/proctor.sock');
    expect(socketPath(undefined, { XDG_CONFIG_HOME: '/home/u/.config' })).toBe(
      '/home/u/.config/proctor/run/proctor.sock',
    );
  });

  it('ignores a relative XDG_CONFIG_HOME, as the XDG spec asks, for the config dir under home', () => {
    expect(socketPath(undefined, { XDG_CONFIG_HOME: 'relative/config' })).toBe(
      join(homedir(), '.config', 'proctor', 'run', 'proctor.sock'),
    );
  });

  it('refuses a path longer than a Unix socket can have, saying how to choose another', () => {
    expect(() => socketPath(`/tmp/${'x'.repeat(120)}.sock`)).toThrow(/longer than 107 bytes.*--socket/);
  });
});
