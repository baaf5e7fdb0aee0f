// Shared by the programs tests: a stack from YAML text in a temp folder, an orchestrator over a real
// supervisor that is shut down after each test, and waiting on program states (events, never sleeps).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll } from 'vitest';
import { parseStack, stackOrThrow, type Stack } from '../../../electron/core/programs/load';
import { Orchestrator } from '../../../electron/core/programs/orchestrator';
import { ProctorService } from '../../../electron/core/service';
import { Supervisor } from '../../../electron/core/supervisor';
import type { ProgramInfo } from '../../../shared/model';
import { buildGuard } from '../supervisor/helpers';

export function stackFrom(yaml: string, dir = mkdtempSync(join(tmpdir(), 'proctor-programs-'))): Stack {
  const file = join(dir, 'proctor.yaml');
  writeFileSync(file, yaml);
  return stackOrThrow(parseStack(yaml, file));
}

/** Registers the hooks and returns a factory of orchestrators, each shut down after its test. */
export function orchestrators(): () => { orchestrator: Orchestrator; supervisor: Supervisor } {
  const made: Array<{ orchestrator: Orchestrator; supervisor: Supervisor }> = [];
  beforeAll(buildGuard);
  afterEach(async () => {
    for (const { orchestrator, supervisor } of made.splice(0)) {
      await orchestrator.shutdown();
      await Promise.all(supervisor.children().map((child) => child.kill()));
    }
  });
  return () => {
    const supervisor = new Supervisor({ defaultGraceMs: 1000 });
    const pair = { orchestrator: new Orchestrator(supervisor), supervisor };
    made.push(pair);
    return pair;
  };
}

export function program(orchestrator: Orchestrator, name: string): ProgramInfo {
  const found = orchestrator.list().find((info) => info.name === name);
  if (!found) throw new Error(`no program ${name}`);
  return found;
}

/** Resolves once `test` holds for the program, checked at once and on every state event. */
export function until(
  orchestrator: Orchestrator,
  name: string,
  test: (info: ProgramInfo) => boolean,
  timeoutMs = 15_000,
): Promise<ProgramInfo> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const info = orchestrator.list().find((candidate) => candidate.name === name);
      if (!info || !test(info)) return false;
      clearTimeout(timer);
      orchestrator.off('state', check);
      resolve(info);
      return true;
    };
    const timer = setTimeout(() => {
      orchestrator.off('state', check);
      const info = orchestrator.list().find((candidate) => candidate.name === name);
      reject(new Error(`${name} did not get there within ${timeoutMs} ms; it is ${JSON.stringify(info)}`));
    }, timeoutMs);
    if (!check()) orchestrator.on('state', check);
  });
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** `node -e SCRIPT` as a YAML flow list, so the script needs no shell quoting. */
export function nodeCommand(script: string): string {
  return JSON.stringify([process.execPath, '-e', script]);
}

/**
 * Registers the hooks and returns a factory of started services whose settings (and so kept programs)
 * live in `configDir`; each is shut down after its test.
 */
export function services(): (configDir: string) => Promise<ProctorService> {
  const made: ProctorService[] = [];
  beforeAll(buildGuard);
  afterEach(async () => {
    await Promise.all(made.splice(0).map((service) => service.shutdown('terminate')));
  });
  return async (configDir) => {
    const service = new ProctorService({
      version: 'test',
      transport: 'websocket',
      settingsFile: join(configDir, 'settings.json'),
    });
    made.push(service);
    await service.start();
    return service;
  };
}
