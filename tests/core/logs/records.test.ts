// The log on disk is written a pipe chunk at a time (a header, then the child's bytes as they came):
// what is read back must be the lines the memory ring has, odd endings included, and a log cut by a
// crash or written line by line before records must still read.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { programDir } from '../../../electron/core/logs/paths';
import { cutNote } from '../../../electron/core/supervisor/output';
import { runNote } from '../../../shared/log-notes';
import { sh } from '../supervisor/helpers';
import { call, logServices, readAll, tempRoot } from './helpers';

const service = logServices();

describe('log records on disk', () => {
  it('reads back the lines the ring has: CRLF, a CR kept, a line cut for its length, a last line without newline', async () => {
    const s = service();
    const script = [
      String.raw`printf 'crlf\r\nkept cr\r\r\n'`,
      // 20,000 bytes in one line, over the 16 KiB a line keeps, arriving in several pipe reads.
      `head -c 20000 /dev/zero | tr '\\0' y; echo`,
      String.raw`printf 'err\r\n' >&2`,
      'i=0; while [ $i -lt 2000 ]; do echo "line $i"; i=$((i+1)); done',
      `printf 'no newline'`,
    ].join('; ');
    const child = await call(s, 'children:start', { name: 'odd', ...sh(script) });
    await call(s, 'children:join', { id: child.id, timeoutMs: 20_000 });
    await s.logs.book.flushed();
    const ring = (await call(s, 'children:output', { id: child.id, limit: 5000 })).lines;
    const disk = (await readAll(s, 'odd', 300)).filter((line) => line.stream !== 'note');
    expect(disk.map(({ seq, stream, text }) => ({ seq, stream, text }))).toEqual(
      ring.map(({ seq, stream, text }) => ({ seq, stream, text })),
    );
    const texts = disk.map((line) => line.text);
    expect(texts.slice(0, 3)).toEqual([
      'crlf',
      'kept cr\r',
      'y'.repeat(16 * 1024) + cutNote(20_000 - 16 * 1024),
    ]);
    expect(texts).toContain('err');
    expect(texts.at(-1)).toBe('no newline');
    // Each line keeps the wall time of the chunk it came in.
    expect(disk.every((line, i) => line.at === ring[i]!.at)).toBe(true);
  });

  it('cuts a record a crash left half written, and goes on after it', async () => {
    const root = tempRoot();
    const first = service({ logs: { root } });
    const a = await call(first, 'children:start', { name: 'torn', ...sh('echo one; echo two') });
    await call(first, 'children:join', { id: a.id, timeoutMs: 10_000 });
    await first.shutdown('terminate');
    // A crash during a write: the header says five lines, two and a half made it.
    const file = join(programDir(root, 'torn'), '000000000000.log');
    appendFileSync(file, '@ 2026-01-01T00:00:00.000Z O 9 5\nlost 1\nlost 2\nlo');

    const second = service({ logs: { root } });
    const b = await call(second, 'children:start', { name: 'torn', ...sh('echo three') });
    await call(second, 'children:join', { id: b.id, timeoutMs: 10_000 });
    await second.logs.book.flushed();
    expect((await readAll(second, 'torn')).map((l) => [l.pos, l.stream, l.text])).toEqual([
      [0, 'note', runNote(0)],
      [1, 'stdout', 'one'],
      [2, 'stdout', 'two'],
      [3, 'note', runNote(0)],
      [4, 'stdout', 'three'],
    ]);
  });

  it('reads a log written line by line before records, and appends records after it', async () => {
    const root = tempRoot();
    const dir = programDir(root, 'older');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, '000000000000.log'),
      '2026-01-01T00:00:00.000Z 0 N run started (restart 0)\n' +
        '2026-01-01T00:00:01.000Z 1 O hello\n' +
        '2026-01-01T00:00:02.000Z 2 E oops\n',
    );
    const s = service({ logs: { root } });
    const child = await call(s, 'children:start', { name: 'older', ...sh('echo again') });
    await call(s, 'children:join', { id: child.id, timeoutMs: 10_000 });
    await s.logs.book.flushed();
    const lines = await readAll(s, 'older');
    expect(lines.map((l) => [l.pos, l.stream, l.text])).toEqual([
      [0, 'note', runNote(0)],
      [1, 'stdout', 'hello'],
      [2, 'stderr', 'oops'],
      [3, 'note', runNote(0)],
      [4, 'stdout', 'again'],
    ]);
    expect(lines[1]).toMatchObject({ at: Date.parse('2026-01-01T00:00:01.000Z'), seq: 1 });
    const found = await call(s, 'logs:search', { name: 'older', pattern: 'oops' });
    expect(found.matches.map((m) => m.pos)).toEqual([2]);
  });
});
