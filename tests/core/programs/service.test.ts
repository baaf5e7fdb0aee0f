// The programs commands through the service's boundary: load, validate, refuse whole, start/stop by
// name, events, and the kept programs file that comes back (autostart ones running) after a restart.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProctorService } from '../../../electron/core/service';
import type { CommandName, RequestOf, ResponseOf } from '../../../shared/contract';
import type { ProctorError } from '../../../shared/errors';
import type { ProgramInfo } from '../../../shared/model';
import { waitFor } from '../supervisor/helpers';
import { services } from './helpers';

const started = services();

async function call<C extends CommandName>(service: ProctorService, name: C, request: RequestOf<C>) {
  const result = await service.invoke(name, request);
  if (!result.ok) throw Object.assign(new Error(result.error.message), { error: result.error });
  return result.value as ResponseOf<C>;
}

async function refusal<C extends CommandName>(service: ProctorService, name: C, request: RequestOf<C>) {
  const result = await service.invoke(name, request);
  if (result.ok) throw new Error(`${name} was accepted`);
  return result.error as ProctorError;
}

function byName(list: ProgramInfo[], name: string): ProgramInfo {
  return list.find((info) => info.name === name)!;
}

async function running(service: ProctorService, name: string): Promise<ProgramInfo> {
  return waitFor(
    () => {
      const info = byName(service.programs.orchestrator.list(), name);
      return info?.state === 'running' && info;
    },
    15_000,
    25,
  );
}

describe('programs over the contract', () => {
  it('loads a file, refuses an invalid one whole without touching what runs, and starts and stops by name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'proctor-svc-'));
    const service = await started(dir);
    const states: ProgramInfo[] = [];
    service.on('program:state', (info) => states.push(info));
    const file = join(dir, 'proctor.yaml');
    writeFileSync(
      file,
      "programs:\n  db: { command: [sleep, '1000'] }\n  web: { command: [sleep, '1000'], depends_on: [db] }\n",
    );
    const loaded = await call(service, 'programs:load', { file });
    expect(loaded).toMatchObject({ file, added: ['db', 'web'], removed: [], changed: [] });
    const db = await running(service, 'db');
    const web = await running(service, 'web');
    expect(states.some((info) => info.name === 'web' && info.state === 'running')).toBe(true);

    writeFileSync(
      file,
      "programs:\n  db: { command: [sleep, '999'], depends_on: [web] }\n  web: { command: [sleep, '1000'], depends_on: [db] }\n",
    );
    const error = await refusal(service, 'programs:load', { file });
    expect(error.code).toBe('E_STACK_INVALID');
    expect(error.message).toBe(`${file}:2:46: a dependency cycle: db → web → db`);
    const after = await call(service, 'programs:list', {});
    expect([byName(after, 'db').pid, byName(after, 'web').pid]).toEqual([db.pid, web.pid]);

    const { problems } = await call(service, 'programs:validate', {
      file,
      text: 'programs:\n  a: { command: 1 }\n',
    });
    expect(problems).toMatchObject([{ code: 'schema', line: 2, params: { path: 'programs.a.command' } }]);

    const stopped = await call(service, 'programs:stop', { names: ['web'] });
    expect(stopped).toMatchObject([{ name: 'web', state: 'exited', exitcode: -15 }]);
    expect(byName(await call(service, 'programs:list', {}), 'db').state).toBe('running');
    await call(service, 'programs:start', { names: ['web'] });
    expect((await running(service, 'web')).restarts).toBe(1);
    expect((await refusal(service, 'programs:stop', { names: ['nope'] })).code).toBe('E_NO_SUCH_PROGRAM');
  });

  it('with watch: true, saving the file applies it as a reload', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'proctor-watch-'));
    const service = await started(dir);
    const file = join(dir, 'proctor.yaml');
    const text = (seconds: number) =>
      `watch: true\nprograms:\n  a: { command: [sleep, '1000'] }\n  b: { command: [sleep, '${seconds}'] }\n`;
    writeFileSync(file, text(1000));
    await call(service, 'programs:load', { file });
    const [a, b] = [await running(service, 'a'), await running(service, 'b')];
    writeFileSync(file, text(999));
    const moved = await waitFor(
      () => {
        const info = byName(service.programs.orchestrator.list(), 'b');
        return info?.state === 'running' && info.pid !== b.pid && info;
      },
      15_000,
      25,
    );
    expect(moved.pid).not.toBe(b.pid);
    expect(byName(service.programs.orchestrator.list(), 'a').pid).toBe(a.pid);
  });

  it('the kept programs file is loaded at start: autostart programs run, the others wait to be started', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'proctor-kept-'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'programs.yaml'),
      "# my programs\nprograms:\n  clock: { command: [sleep, '1000'] }\n  manual: { command: [sleep, '1000'], autostart: false }\n",
    );
    const first = await started(dir);
    const clock = await running(first, 'clock');
    expect(byName(first.programs.orchestrator.list(), 'manual').state).toBe('stopped');
    await first.shutdown('terminate');
    expect(byName(first.programs.orchestrator.list(), 'clock')).toBeUndefined();

    const second = await started(dir);
    const again = await running(second, 'clock');
    expect(again.pid).not.toBe(clock.pid);
    expect(byName(await call(second, 'programs:list', {}), 'manual').state).toBe('stopped');
    expect((await call(second, 'programs:reload', {})).changed).toEqual([]);
  });
});
