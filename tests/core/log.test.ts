import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createLogger } from '../../electron/core/log';

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

it('opens its file at the first line, and writes the lines of its children with their bindings', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'proctor-log-')), 'state', 'proctor.log');
  const log = createLogger({ file });
  const lessons = log.child({ area: 'lessons' });
  // A backend that runs well writes nothing: nothing of the logger's is opened (nor loaded) for it.
  expect(existsSync(join(file, '..'))).toBe(true);
  expect(existsSync(file)).toBe(false);

  lessons.warn({ childId: 'c1' }, 'lesson sample failed');
  log.error({ err: new Error('no /proc') }, 'monitor tick failed');

  const [first, second] = lines(file);
  expect(first).toMatchObject({ level: 40, area: 'lessons', childId: 'c1', msg: 'lesson sample failed' });
  expect(first!.pid).toBe(process.pid);
  expect(second).toMatchObject({ level: 50, msg: 'monitor tick failed', err: { message: 'no /proc' } });
  expect(second!.area).toBeUndefined();
});
