// The real ProctorService behind the real headless server, in the test's own process: the contract's
// transport tests talk to it over a real WebSocket.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { ProctorService, type ServiceOptions } from '../../electron/core/service';
import { startHeadlessServer, type HeadlessServer } from '../../electron/server/server';
import { connectContract, type ContractClient } from './ws-client';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface InProcessServer {
  service: ProctorService;
  server: HeadlessServer;
  token: string;
  /** The folder served as the renderer: a test may put files (or symlinks) in it. */
  rendererRoot: string;
  stop(): Promise<void>;
}

export async function startInProcessServer(
  options: Pick<ServiceOptions, 'lessons' | 'log'> = {},
): Promise<InProcessServer> {
  const rendererRoot = mkdtempSync(join(tmpdir(), 'proctor-renderer-'));
  writeFileSync(join(rendererRoot, 'index.html'), '<!doctype html><title>Proctor</title>');
  const token = 'test-token-0123456789abcdef';
  const service = new ProctorService({
    version: 'test',
    transport: 'websocket',
    ...options,
  });
  await service.start();
  const server = await startHeadlessServer(service, {
    host: '127.0.0.1',
    port: 0,
    token,
    rendererRoot,
    metrics: service.metrics(),
  });
  return {
    service,
    server,
    token,
    rendererRoot,
    stop: async () => {
      await service.shutdown('terminate');
      await server.close();
    },
  };
}

/** For a test file: one server and one connected client, started before its tests and stopped after. */
export function useConnectedServer(): { readonly running: InProcessServer; readonly client: ContractClient } {
  let running: InProcessServer | undefined;
  let client: ContractClient | undefined;
  beforeAll(async () => {
    running = await startInProcessServer();
    client = await connectContract(running.server.url, running.token);
  });
  afterAll(async () => {
    client?.close();
    await running?.stop();
  });
  return {
    get running() {
      return running!;
    },
    get client() {
      return client!;
    },
  };
}
