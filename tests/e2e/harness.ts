// The e2e fixtures: a real headless Proctor backend per worker, a page that fails its test on any console
// error, and a Node-side contract client for setting up and checking state beside the UI.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test as base, expect, type Page } from '@playwright/test';
import type { CommandName, RequestOf, ResponseOf, Result } from '../../shared/contract';
import { connectContract } from '../support/ws-client';

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
  // Each backend keeps its settings in a throwaway file, so a test never changes the user's own.
  const settings = join(mkdtempSync(join(tmpdir(), 'proctor-e2e-')), 'settings.json');
  const child = spawn(
    process.execPath,
    ['out/main/server.js', '--port', '0', '--settings', settings, ...extraArgs],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...env },
    },
  );
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
  const client = await connectContract(url, token);
  const backend: Backend = {
    url,
    origin: parsed.origin,
    token,
    process: child,
    invoke: client.invoke,
    call: client.call,
  };
  child.once('exit', () => client.close());
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
