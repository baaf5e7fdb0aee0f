// The e2e fixtures: a real headless Proctor backend per worker, a page that fails its test on any console
// error, and a Node-side contract client for setting up and checking state beside the UI.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { test as base, expect, type Page } from '@playwright/test';
import WebSocket from 'ws';
import type { CommandName, RequestOf, ResponseOf, Result } from '../../shared/contract';
import { WS_PATH, type ServerFrame } from '../../shared/wire';

export interface Backend {
  /** The URL the server printed, token included. */
  url: string;
  origin: string;
  token: string;
  process: ChildProcess;
  invoke<C extends CommandName>(name: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
  /** invoke, throwing on `{ ok: false }` */
  call<C extends CommandName>(name: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
}

export async function startBackend(extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Backend> {
  const child = spawn(process.execPath, ['out/main/server.js', '--port', '0', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('headless server printed no URL within 20 s')), 20_000);
    child.once('exit', (code) => reject(new Error(`headless server exited early with ${code}`)));
    lines.on('line', (line) => {
      const match = /^Proctor headless at (\S+)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
  });
  const parsed = new URL(url);
  const token = parsed.searchParams.get('token') ?? '';
  const socket = new WebSocket(`ws://${parsed.host}${WS_PATH}?token=${token}`, { origin: parsed.origin });
  await once(socket, 'open');
  let nextId = 1;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  socket.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString()) as ServerFrame;
    if (frame.kind === 'result') pending.get(frame.id)?.(frame.result);
  });
  const invoke = <C extends CommandName>(name: C, request: RequestOf<C>) =>
    new Promise<Result<ResponseOf<C>>>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve as (result: Result<unknown>) => void);
      socket.send(JSON.stringify({ kind: 'invoke', id, name, request }));
    });
  const call = async <C extends CommandName>(name: C, request: RequestOf<C>) => {
    const result = await invoke(name, request);
    if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}`);
    return result.value;
  };
  const backend: Backend = { url, origin: parsed.origin, token, process: child, invoke, call };
  child.once('exit', () => socket.close());
  return backend;
}

export async function stopBackend(backend: Backend): Promise<void> {
  if (backend.process.exitCode !== null || backend.process.signalCode !== null) return;
  const exited = once(backend.process, 'exit');
  backend.process.kill('SIGTERM');
  await exited;
}

/** Collects console errors and page errors; the `page` fixture fails the test if any arrived. */
function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

export const test = base.extend<object, { backend: Backend }>({
  backend: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const backend = await startBackend();
      await use(backend);
      await stopBackend(backend);
    },
    { scope: 'worker' },
  ],
  page: async ({ page }, use) => {
    const errors = watchConsole(page);
    await use(page);
    expect(errors, 'console errors during the test').toEqual([]);
  },
});

export { expect };
