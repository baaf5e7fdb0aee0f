// Without a usable Python the lessons say how to get one, and nothing runs or crashes.
import { describe, expect, it } from 'vitest';
import { INSTALL_HINT, locatePython } from '../../../electron/core/lessons';
import { call, lessonService } from './helpers';

describe('python locator', () => {
  it('finds python3 on PATH with its version', async () => {
    const found = await locatePython('');
    expect(found).toMatchObject({ found: true, hint: null });
    expect(found.version).toMatch(/^3\.\d+\.\d+$/);
  });

  it('says how to install Python when PATH has none', async () => {
    const missing = await locatePython('', { PATH: '/nonexistent' });
    expect(missing).toMatchObject({ found: false, path: null, version: null });
    expect(missing.hint).toContain(INSTALL_HINT);
    expect(missing.hint).toContain('python3: not found');
  });

  it('names a configured interpreter that does not run', async () => {
    const missing = await locatePython('/nope/python3');
    expect(missing.found).toBe(false);
    expect(missing.hint).toContain('/nope/python3: not found');
  });
});

describe('lessons without python', () => {
  const service = lessonService();

  it('lists the lessons with the hint and refuses to run them', async () => {
    await call(service(), 'settings:set', { pythonPath: '/nope/python3' });
    const listed = await call(service(), 'lessons:list', {});
    expect(listed.python.found).toBe(false);
    expect(listed.python.hint).toContain('sudo apt install python3');
    expect(listed.lessons).toHaveLength(13);
    const run = await service().invoke('lessons:run', { id: '01-process-args' });
    expect(run.ok).toBe(false);
    expect(!run.ok && run.error.code).toBe('E_NO_PYTHON');
    expect(service().supervisor.children()).toHaveLength(0);
  });
});
