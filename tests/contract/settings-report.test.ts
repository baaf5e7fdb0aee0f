// A settings file with a bad and an unknown field, through the real built server: the valid fields apply,
// each bad one is named on stderr and in app:info (which the window's status bar shows), the file stays
// as the user had it until the first save, which keeps it aside first.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startBackend, stopBackend, type Backend } from '../support/backend-process';

const dir = mkdtempSync(join(tmpdir(), 'proctor-settings-report-'));
const file = join(dir, 'settings.json');
const text = '{ "graceMs": -1, "historyLength": 300, "fromTheFuture": true }\n';
let backend: Backend | undefined;

afterAll(async () => {
  if (backend) await stopBackend(backend);
});

it('reports each bad field on stderr and in app:info, and keeps the file aside before the first save', async () => {
  writeFileSync(file, text);
  backend = await startBackend({ settingsFile: file, captureStderr: true });
  expect(backend.stderr()).toContain(
    `settings ${file}: graceMs: -1 is not valid (graceMs must not be negative); using 5000`,
  );
  expect(backend.stderr()).toContain(`settings ${file}: unknown setting fromTheFuture, ignored`);
  const settings = await backend.call('settings:get', {});
  expect(settings).toMatchObject({ graceMs: 5000, historyLength: 300 });
  const { settingsReport } = await backend.call('app:info', {});
  expect(settingsReport).toMatchObject({
    file,
    keptAs: null,
    problems: [
      { kind: 'invalid', field: 'graceMs', value: '-1', used: '5000' },
      { kind: 'unknown', field: 'fromTheFuture', value: 'true' },
    ],
  });
  expect(readFileSync(file, 'utf8')).toBe(text);

  await backend.call('settings:set', { language: 'zh-CN' });
  const aside = readdirSync(dir).filter((name) => name.startsWith('settings.json.bad-'));
  expect(aside).toHaveLength(1);
  expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe(text);
  expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
    graceMs: 5000,
    historyLength: 300,
    language: 'zh-CN',
  });
  expect((await backend.call('app:info', {})).settingsReport?.keptAs).toBe(join(dir, aside[0]!));
}, 90_000);
