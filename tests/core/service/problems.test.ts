// Nothing fails silently: a failed monitor tick is written to the log file, with its message, and pushed
// to every window as app:problem; the loop keeps sampling.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { Problem } from '../../../shared/model';
import { createLogger } from '../../../electron/core/log';
import { failingSource } from '../../support/failing-source';
import { ProctorService } from '../../../electron/core/service';

const source = failingSource();
const file = join(mkdtempSync(join(tmpdir(), 'proctor-log-')), 'state', 'proctor.log');
const service = new ProctorService({
  version: 'test',
  transport: 'websocket',
  source,
  log: createLogger({ file }),
});
afterAll(() => service.shutdown('terminate'));

it('logs a failed tick to the file and tells every window, and the loop goes on', async () => {
  await service.start();
  await service.invoke('settings:set', { intervalMs: 250 });
  const problems: Problem[] = [];
  const off = service.on('app:problem', (problem) => problems.push(problem));
  source.failWith = 'the source broke';
  await expect.poll(() => problems.length, { timeout: 5000 }).toBeGreaterThan(0);
  expect(problems[0]).toMatchObject({ area: 'monitor', message: 'the source broke' });
  const lines = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  expect(lines[0]).toMatchObject({
    level: 50,
    msg: 'monitor tick failed',
    err: { message: 'the source broke' },
  });

  source.failWith = null;
  const before = service.monitor.snapshot().seq;
  await expect.poll(() => service.monitor.snapshot().seq, { timeout: 5000 }).toBeGreaterThan(before);
  off();
});
