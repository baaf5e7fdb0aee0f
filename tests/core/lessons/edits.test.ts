// The learner's edits through the contract: kept in the edits folder across services, the original's
// text dropping the edit, a syntax error answered with its line before anything runs, and a runaway
// edit stopped at its time limit with its whole family.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call, lessonService } from './helpers';

const EDITS = mkdtempSync(join(tmpdir(), 'proctor-edits-'));

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('lesson edits', () => {
  const service = lessonService(EDITS);

  it('keeps an edit as a file in the edits folder; the original text, or restore, drops it', async () => {
    const original = (await call(service(), 'lessons:get', { id: '02-subclass' })).code;
    const edited = `# mine\n${original}`;
    expect((await call(service(), 'lessons:saveEdit', { id: '02-subclass', code: edited })).edited).toBe(
      edited,
    );
    expect(readdirSync(EDITS)).toEqual(['02-subclass.py']);
    expect((await call(service(), 'lessons:get', { id: '02-subclass' })).edited).toBe(edited);
    expect(
      (await call(service(), 'lessons:saveEdit', { id: '02-subclass', code: original })).edited,
    ).toBeNull();
    expect(readdirSync(EDITS)).toEqual([]);
    await call(service(), 'lessons:saveEdit', { id: '02-subclass', code: edited });
    expect((await call(service(), 'lessons:restore', { id: '02-subclass' })).edited).toBeNull();
    expect(readdirSync(EDITS)).toEqual([]);
    // An id that is no lesson never names a file.
    const refused = await service().invoke('lessons:saveEdit', { id: '../../x', code: 'print(1)' });
    expect(refused.ok || refused.error.code).toBe('E_NO_SUCH_LESSON');
    expect(readdirSync(EDITS)).toEqual([]);
  });

  it('answers a syntax error with its line and column, and starts nothing', async () => {
    const before = (await call(service(), 'children:list', {})).length;
    const run = await call(service(), 'lessons:run', {
      id: '01-process-args',
      code: 'import os\n\nprint("ok")\nif True\n    pass\n',
    });
    expect(run).toMatchObject({ state: 'failed', edited: true, childId: null, checks: [] });
    expect(run.syntaxError).toMatchObject({ line: 4 });
    expect(run.syntaxError!.message).toMatch(/expected ':'|invalid syntax/);
    expect((await call(service(), 'children:list', {})).length).toBe(before);
    await call(service(), 'lessons:restore', { id: '01-process-args' });
  });

  it(
    'stops an edit that never ends at its time limit, with every process of its family',
    { timeout: 60_000 },
    async () => {
      const code = [
        'from multiprocessing import Process',
        'def spin():',
        '    while True:',
        '        pass',
        "if __name__ == '__main__':",
        '    Process(target=spin).start()',
        '    spin()',
        '',
      ].join('\n');
      const run = await call(service(), 'lessons:run', { id: '04-data-isolation', code, timeLimitMs: 1500 });
      expect(run).toMatchObject({ state: 'failed', edited: true, timedOut: 1500 });
      const graph = await call(service(), 'family:graph', { id: run.childId! });
      const pids = graph.nodes.map((node) => node.pid);
      expect(pids.length).toBeGreaterThanOrEqual(2);
      expect(pids.filter(alive)).toEqual([]);
      await call(service(), 'lessons:restore', { id: '04-data-isolation' });
    },
  );
});

describe('lesson edits after a restart', () => {
  const service = lessonService(EDITS);

  it('a new service over the same folder has the edit', async () => {
    const original = (await call(service(), 'lessons:get', { id: '03-many-children' })).code;
    await call(service(), 'lessons:saveEdit', { id: '03-many-children', code: `${original}\n# kept` });
    await service().shutdown('terminate');
  });
});

describe('lesson edits, the next service', () => {
  const service = lessonService(EDITS);

  it('reads the edit the last one kept', async () => {
    expect((await call(service(), 'lessons:get', { id: '03-many-children' })).edited).toMatch(/# kept$/);
  });
});
