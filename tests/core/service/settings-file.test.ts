// The settings file as the user wrote it: a bad or unknown field costs only that field, the file stays as
// it was until Proctor first saves, and then it is kept aside as settings.json.bad-<time>. A save that
// fails changes nothing: not the file, not the settings in memory, not the monitor, no leftover .tmp.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CodedError } from '../../../shared/errors';
import { DEFAULT_SETTINGS, SettingsStore } from '../../../electron/core/settings';
import { ProctorService } from '../../../electron/core/service';

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'proctor-settings-'));
}

/** A settings file with this exact text, and a store loaded from it, with what it warned on stderr. */
function loaded(text: string): { file: string; store: SettingsStore; warnings: string[] } {
  const file = join(folder(), 'settings.json');
  writeFileSync(file, text);
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const store = new SettingsStore(file);
  const warnings = warn.mock.calls.map((call) => String(call[0]));
  warn.mockRestore();
  return { file, store, warnings };
}

function keptAside(file: string): string[] {
  const dir = join(file, '..');
  return readdirSync(dir)
    .filter((name) => /^settings\.json\.bad-\d{4}-\d\d-\d\dT[\d-]+Z$/.test(name))
    .map((name) => join(dir, name));
}

afterEach(() => vi.restoreAllMocks());

describe('loading a file with bad fields', () => {
  const text = JSON.stringify(
    { intervalMs: 2000, graceMs: -1, language: 'zh-CN', futureKey: { a: 1 } },
    null,
    2,
  );

  it('keeps every valid field and reports each bad one in words', () => {
    const { store, warnings, file } = loaded(text);
    expect(store.get()).toEqual({ ...DEFAULT_SETTINGS, intervalMs: 2000, language: 'zh-CN' });
    expect(store.report()).toEqual({
      file,
      keptAs: null,
      problems: [
        {
          kind: 'invalid',
          field: 'graceMs',
          value: '-1',
          used: '5000',
          detail: 'graceMs: -1 is not valid (graceMs must not be negative); using 5000',
        },
        {
          kind: 'unknown',
          field: 'futureKey',
          value: '{"a":1}',
          detail: 'unknown setting futureKey, ignored',
        },
      ],
    });
    expect(warnings).toEqual([
      `[proctor] settings ${file}: graceMs: -1 is not valid (graceMs must not be negative); using 5000`,
      `[proctor] settings ${file}: unknown setting futureKey, ignored`,
    ]);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(keptAside(file)).toEqual([]);
  });

  it('keeps the file as the user had it aside before the first save, and only then', () => {
    const { store, file } = loaded(text);
    store.update({ historyLength: 60 });
    const [aside, ...more] = keptAside(file);
    expect(more).toEqual([]);
    expect(readFileSync(aside!, 'utf8')).toBe(text);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      ...DEFAULT_SETTINGS,
      intervalMs: 2000,
      language: 'zh-CN',
      historyLength: 60,
    });
    expect(store.report()?.keptAs).toBe(aside);
    store.update({ historyLength: 90 });
    expect(keptAside(file)).toEqual([aside]);
  });
});

describe('loading a file that is not settings at all', () => {
  it.each([
    ['garbage', '{"intervalMs": 2000,,, oops'],
    ['a JSON list', '[1, 2, 3]'],
  ])(
    'starts from the defaults for %s, says so, and keeps the file aside before the first save',
    (_what, text) => {
      const { store, file, warnings } = loaded(text);
      expect(store.get()).toEqual(DEFAULT_SETTINGS);
      expect(store.report()?.problems).toMatchObject([{ kind: 'unreadable', field: null }]);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/every setting is at its default/);
      expect(readFileSync(file, 'utf8')).toBe(text);
      store.update({ graceMs: 700 });
      expect(readFileSync(keptAside(file)[0]!, 'utf8')).toBe(text);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ ...DEFAULT_SETTINGS, graceMs: 700 });
    },
  );

  it('reports nothing and keeps nothing aside for a good file', () => {
    const { store, file, warnings } = loaded(JSON.stringify({ graceMs: 1200 }));
    expect(store.report()).toBeNull();
    expect(warnings).toEqual([]);
    store.update({ graceMs: 1300 });
    expect(keptAside(file)).toEqual([]);
  });
});

describe('a save that fails', () => {
  function expectNothingChanged(store: SettingsStore, before: string, dir: string, entries: string[]) {
    let thrown: unknown;
    try {
      store.update({ graceMs: 4321 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CodedError);
    expect((thrown as CodedError).code).toBe('E_SETTINGS_WRITE');
    expect(store.get()).toEqual(JSON.parse(before));
    expect(readdirSync(dir).sort()).toEqual(entries);
    return (thrown as CodedError).message;
  }

  it('where the file is a directory (EISDIR): nothing changes, no .tmp is left', () => {
    const dir = folder();
    const file = join(dir, 'settings.json');
    mkdirSync(file);
    const store = new SettingsStore(file);
    const message = expectNothingChanged(store, JSON.stringify(DEFAULT_SETTINGS), dir, ['settings.json']);
    expect(message).toBe(`could not save settings to ${file}: it is a directory`);
  });

  it('where a folder on its path is a file (ENOTDIR)', () => {
    const dir = folder();
    writeFileSync(join(dir, 'proctor'), 'a file, not a folder');
    const store = new SettingsStore(join(dir, 'proctor', 'settings.json'));
    const message = expectNothingChanged(store, JSON.stringify(DEFAULT_SETTINGS), dir, ['proctor']);
    expect(message).toMatch(/: a folder on its path is a file$/);
  });

  it('where the file is immutable (chattr +i)', () => {
    const dir = folder();
    const file = join(dir, 'settings.json');
    writeFileSync(file, JSON.stringify({ graceMs: -5, intervalMs: 500 }));
    const store = new SettingsStore(file);
    const before = JSON.stringify(store.get());
    execFileSync('chattr', ['+i', file]);
    try {
      const message = expectNothingChanged(store, before, dir, ['settings.json']);
      expect(message).toMatch(/: not permitted \(is the file immutable\?\)$/);
      expect(readFileSync(file, 'utf8')).toBe(JSON.stringify({ graceMs: -5, intervalMs: 500 }));
    } finally {
      execFileSync('chattr', ['-i', file]);
    }
  });

  it('through the service: E_SETTINGS_WRITE, the monitor unchanged, no settings:changed to any client', async () => {
    const dir = folder();
    const file = join(dir, 'settings.json');
    mkdirSync(file);
    const service = new ProctorService({ version: 'test', transport: 'websocket', settingsFile: file });
    const changed: unknown[] = [];
    service.on('settings:changed', (settings) => changed.push(settings));
    const result = await service.invoke('settings:set', { intervalMs: 5000 });
    expect(result).toMatchObject({ ok: false, error: { code: 'E_SETTINGS_WRITE' } });
    expect(await service.invoke('settings:get', {})).toEqual({ ok: true, value: DEFAULT_SETTINGS });
    expect(service.monitor.stats().intervalMs).toBe(DEFAULT_SETTINGS.intervalMs);
    expect(changed).toEqual([]);
    await service.shutdown('terminate');
  });
});
