// Headless mode's address options: by default the last run's port and token are kept; --port 0 and
// --new-token opt out; the kept file is 0600 and a damaged one means a fresh start, not a crash.
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseServerOptions } from '../../electron/server/options';
import { readRemembered, rememberedFile, writeRemembered } from '../../electron/server/remembered';

describe('headless address options', () => {
  it('keeps the port and token unless told otherwise', () => {
    expect(parseServerOptions([])).toMatchObject({ port: null, token: null, newToken: false });
    expect(parseServerOptions(['--port', '0'])).toMatchObject({ port: 0, token: null });
    expect(parseServerOptions(['--new-token'])).toMatchObject({ port: null, token: null, newToken: true });
    expect(() => parseServerOptions(['--new-token', '--token', 'x'.repeat(16)])).toThrow(
      '--token and --new-token exclude each other',
    );
  });

  it('writes the kept address 0600 beside the settings, and reads a damaged file as nothing kept', () => {
    const settings = join(mkdtempSync(join(tmpdir(), 'proctor-kept-')), 'settings.json');
    const file = rememberedFile(settings);
    expect(readRemembered(file)).toEqual({});
    writeRemembered(file, { port: 40123, token: 't'.repeat(43) });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readRemembered(file)).toEqual({ port: 40123, token: 't'.repeat(43) });
    writeFileSync(file, '{ not json');
    expect(readRemembered(file)).toEqual({});
    writeFileSync(file, JSON.stringify({ port: 'x', token: 'short' }));
    expect(readRemembered(file)).toEqual({});
  });
});
