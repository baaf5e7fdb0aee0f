// Keeping programs: an edit from the window writes only that program into the user's file, comments
// and order intact; an invalid edit changes nothing; the edit is applied as a reload.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../supervisor/helpers';
import { services } from './helpers';

const started = services();

const KEPT = `# Programs I keep running.
programs:
  # the database first
  db:
    command: [sleep, '1000'] # a stand-in
    restart: {policy: always} # keep it up
  web:
    command: [sleep, '1000']
    depends_on: [db]
`;

describe('kept programs', () => {
  it('an edited program round-trips through the file with its comments intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'proctor-keep-'));
    const file = join(dir, 'programs.yaml');
    writeFileSync(file, KEPT);
    const service = await started(dir);
    const dbPid = await waitFor(
      () => service.programs.orchestrator.list().find((p) => p.name === 'db')?.pid ?? false,
      15_000,
      25,
    );

    const edited = await service.invoke('programs:keep', {
      name: 'web',
      program: { command: ['sleep', '999'], depends_on: ['db'], autostart: true },
    });
    expect(edited).toMatchObject({ ok: true, value: { changed: ['web'], added: [], removed: [] } });
    const added = await service.invoke('programs:keep', {
      name: 'clock',
      program: { command: 'sleep 1000' },
    });
    expect(added).toMatchObject({ ok: true, value: { added: ['clock'] } });
    // Only web's changed keys and the new program differ from what the user wrote.
    expect(readFileSync(file, 'utf8')).toBe(
      KEPT.replace(
        "    command: [sleep, '1000']\n    depends_on: [db]\n",
        '    command:\n      - sleep\n      - "999"\n    depends_on: [db]\n    autostart: true\n  clock:\n    command: sleep 1000\n',
      ),
    );
    // db was not touched by either edit.
    expect(service.programs.orchestrator.list().find((p) => p.name === 'db')?.pid).toBe(dbPid);

    const before = readFileSync(file, 'utf8');
    const refused = await service.invoke('programs:keep', {
      name: 'bad',
      program: { command: 'x', depends_on: ['ghost'] },
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'E_STACK_INVALID' } });
    expect(!refused.ok && refused.error.message).toContain(
      'bad depends on ghost, which is not a program in this file',
    );
    expect(readFileSync(file, 'utf8')).toBe(before);

    const forgotten = await service.invoke('programs:forget', { name: 'clock' });
    expect(forgotten).toMatchObject({ ok: true, value: { removed: ['clock'] } });
    expect(readFileSync(file, 'utf8')).not.toContain('clock');
    expect(readFileSync(file, 'utf8')).toContain('# the database first');
  });

  it('the first kept program creates the file, and it runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'proctor-keep-new-'));
    const service = await started(dir);
    const kept = await service.invoke('programs:keep', {
      name: 'clock',
      program: { command: ['sleep', '1000'] },
    });
    expect(kept).toMatchObject({ ok: true, value: { file: join(dir, 'programs.yaml'), added: ['clock'] } });
    expect(readFileSync(join(dir, 'programs.yaml'), 'utf8')).toBe(
      'programs:\n  clock:\n    command:\n      - sleep\n      - "1000"\n',
    );
    await waitFor(() => service.programs.orchestrator.list()[0]?.state === 'running', 15_000, 25);
  });
});
