// The layer table must not vanish silently: a forbidden import in a temp copy of the project's lint
// setup has to fail with the layer message.
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
let copy: string;

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'proctor-lint-'));
  cpSync(join(root, 'eslint.config.js'), join(copy, 'eslint.config.js'));
  cpSync(join(root, 'package.json'), join(copy, 'package.json'));
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
});

afterAll(() => rmSync(copy, { recursive: true, force: true }));

async function layerErrors(file: string, source: string): Promise<string[]> {
  mkdirSync(dirname(join(copy, file)), { recursive: true });
  writeFileSync(join(copy, file), source);
  const [result] = await new ESLint({ cwd: copy }).lintFiles([file]);
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rules', () => {
  it('refuses electron in electron/core', async () => {
    const errors = await layerErrors(
      'electron/core/probe.ts',
      "import { app } from 'electron';\nexport const a = app;\n",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/electron\/core may not import this/);
  });

  it('refuses electron in electron/server', async () => {
    const errors = await layerErrors(
      'electron/server/probe.ts',
      "import { ipcMain } from 'electron';\nexport const a = ipcMain;\n",
    );
    expect(errors[0]).toMatch(/electron\/server may not import this/);
  });

  it('refuses Node built-ins and backend code in renderer/', async () => {
    const errors = await layerErrors(
      'renderer/src/probe.ts',
      "import { readFileSync } from 'node:fs';\nimport os from 'os';\nimport { Supervisor } from '../../electron/core/supervisor';\nexport const a = [readFileSync, os, Supervisor];\n",
    );
    expect(errors).toHaveLength(3);
    for (const message of errors) expect(message).toMatch(/renderer\/ may not import this/);
  });

  it('refuses Node and our other layers in shared/', async () => {
    const errors = await layerErrors(
      'shared/probe.ts',
      "import { join } from 'node:path';\nimport { x } from '../renderer/src/x';\nexport const a = [join, x];\n",
    );
    expect(errors).toHaveLength(2);
  });

  it('lets the renderer import shared/', async () => {
    const errors = await layerErrors(
      'renderer/src/ok.ts',
      "import { commands } from '../../shared/contract';\nexport const a = commands;\n",
    );
    expect(errors).toEqual([]);
  });
});

describe('the command line and its socket client', () => {
  it('refuses electron and the backend core in electron/client', async () => {
    const errors = await layerErrors(
      'electron/client/probe.ts',
      "import { app } from 'electron';\nimport { ProctorService } from '../core/service';\nexport const a = [app, ProctorService];\n",
    );
    expect(errors).toHaveLength(2);
    for (const message of errors) expect(message).toMatch(/electron\/client may not import this/);
  });

  it('refuses electron and main in electron/cli, and the cli in electron/server', async () => {
    const cli = await layerErrors(
      'electron/cli/probe.ts',
      "import { app } from 'electron';\nimport { planQuit } from '../main/quit';\nexport const a = [app, planQuit];\n",
    );
    expect(cli).toHaveLength(2);
    const server = await layerErrors(
      'electron/server/probe.ts',
      "import { buildProgram } from '../cli/program';\nexport const a = buildProgram;\n",
    );
    expect(server[0]).toMatch(/electron\/server may not import this/);
  });

  it('lets electron/main take from electron/server only the socket and the metrics port', async () => {
    const errors = await layerErrors(
      'electron/main/probe.ts',
      "import { listenContractSocket } from '../server/unix-socket';\nimport { startMetricsServer } from '../server/metrics-route';\nimport { startHeadlessServer } from '../server/server';\nexport const a = [listenContractSocket, startMetricsServer, startHeadlessServer];\n",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/electron\/main may not import this/);
  });

  it('lets electron/cli import the server, the core and the client', async () => {
    const errors = await layerErrors(
      'electron/cli/ok.ts',
      "import { runHeadless } from '../server/headless';\nimport { appPaths } from '../core/app-paths';\nimport { socketPath } from '../client/socket-path';\nexport const a = [runHeadless, appPaths, socketPath];\n",
    );
    expect(errors).toEqual([]);
  });
});
