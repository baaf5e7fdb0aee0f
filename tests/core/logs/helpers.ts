// Shared by the logs tests: a real ProctorService whose logs go to a throwaway root, shut down after
// each test, and ways to wait on what it emits and writes.
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll } from 'vitest';
import type { EventMap } from '../../../shared/contract';
import type { LogLine, Notification } from '../../../shared/model';
import { ProctorService, type ServiceOptions } from '../../../electron/core/service';
import { call } from '../lessons/helpers';
import { buildGuard, GUARD_PATH } from '../supervisor/helpers';

export { call };

export function tempRoot(prefix = 'proctor-logs-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Services made by the returned factory are shut down (children terminated) after each test. */
export function logServices(): (options?: Partial<ServiceOptions>) => ProctorService {
  const made: ProctorService[] = [];
  beforeAll(buildGuard);
  afterEach(async () => {
    await Promise.all(made.splice(0).map((service) => service.shutdown('terminate')));
  });
  return (options = {}) => {
    const service = new ProctorService({
      version: 'test',
      transport: 'websocket',
      guardPath: GUARD_PATH,
      logs: { root: tempRoot() },
      ...options,
    });
    made.push(service);
    return service;
  };
}

/** Every event of one kind the service emits from now on. */
export function collect<E extends keyof EventMap>(service: ProctorService, event: E): EventMap[E][] {
  const seen: EventMap[E][] = [];
  service.on(event, (payload) => seen.push(payload));
  return seen;
}

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function until<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The whole log of a program, paged through `logs:read` from its first position. */
export async function readAll(service: ProctorService, name: string, pageSize = 5000): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  let from = (await call(service, 'logs:read', { name, from: 0, limit: 1 })).first;
  for (;;) {
    const page = await call(service, 'logs:read', { name, from, limit: pageSize });
    lines.push(...page.lines);
    if (page.lines.length === 0 || from + page.lines.length >= page.end) return lines;
    from = page.lines.at(-1)!.pos + 1;
  }
}

/** Bytes of every file under `dir` (one level of subdirectories, as a program's log directory has). */
export function diskUse(dir: string): number {
  let total = 0;
  for (const name of safeReaddir(dir)) {
    try {
      const stats = statSync(join(dir, name));
      total += stats.isDirectory() ? 0 : stats.size;
    } catch {
      // Deleted between the listing and the stat: a compression finishing.
    }
  }
  return total;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

export type WebhookBody = Notification & { version: number; host: string; time: string };

/**
 * Makes webhook receivers on 127.0.0.1, closed after each test; `answer` decides each response (it
 * may leave the request hanging).
 */
export function webhookServers(): (
  answer?: (res: ServerResponse) => void,
) => Promise<{ url: string; bodies: WebhookBody[]; requests: () => number }> {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
  return async (answer = (res) => res.writeHead(204).end()) => {
    const bodies: WebhookBody[] = [];
    let requests = 0;
    const server = createServer((req: IncomingMessage, res) => {
      requests++;
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      req.on('end', () => {
        bodies.push(JSON.parse(raw) as WebhookBody);
        answer(res);
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/hook`, bodies, requests: () => requests };
  };
}
