// Logs on disk with real children: order per stream, rotation under the disk budget while a lot goes
// through, search across rotated gzip files, and a log that goes on after a backend restart.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { programDir } from '../../../electron/core/logs/paths';
import { RecordReader } from '../../../electron/core/logs/format';
import { segmentName } from '../../../electron/core/logs/segments';
import { slabCounts } from '../../../electron/core/supervisor/read-slabs';
import { runNote } from '../../../shared/log-notes';
import { sh } from '../supervisor/helpers';
import { call, diskUse, logServices, readAll, tempRoot, until } from './helpers';

const service = logServices();

describe('logs on disk', () => {
  it('keeps stdout and stderr apart, in order per stream, each line with its wall time and seq', async () => {
    const s = service();
    const started = Date.now();
    const child = await call(s, 'children:start', {
      name: 'order',
      ...sh('i=0; while [ $i -lt 3000 ]; do echo "out $i"; echo "err $i" >&2; i=$((i+1)); done'),
    });
    await call(s, 'children:join', { id: child.id, timeoutMs: 20_000 });
    await s.logs.book.flushed();
    const lines = await readAll(s, 'order', 700);
    const out = lines.filter((line) => line.stream === 'stdout');
    const err = lines.filter((line) => line.stream === 'stderr');
    expect(out.map((line) => line.text)).toEqual(Array.from({ length: 3000 }, (_, i) => `out ${i}`));
    expect(err.map((line) => line.text)).toEqual(Array.from({ length: 3000 }, (_, i) => `err ${i}`));
    // Interleaved they stay in the order Proctor read them: seq and position both increase.
    expect(lines.map((line) => line.pos)).toEqual(lines.map((_, i) => i));
    const output = lines.filter((line) => line.stream !== 'note');
    expect(output.every((line, i) => i === 0 || line.seq > output[i - 1]!.seq)).toBe(true);
    // The run's separator comes before its first line.
    expect(lines[0]).toMatchObject({ stream: 'note', text: runNote(0) });
    expect(lines.every((line) => line.at >= started - 1000 && line.at <= Date.now())).toBe(true);
  });

  it('keeps every line of a flood whole while the slabs its pipe was read into are used again', async () => {
    const root = tempRoot();
    const s = service({ logs: { root } });
    // 8 MB of numbers: one segment, read back as the file it is.
    const count = 1_200_000;
    const before = slabCounts();
    const child = await call(s, 'children:start', {
      name: 'numbers',
      command: 'seq',
      args: ['1', String(count)],
    });
    await call(s, 'children:join', { id: child.id, timeoutMs: 60_000 });
    await s.logs.book.written();
    // Every number once and in order, between the records' headers: a slab used again while a line in
    // it was still queued would show as another line's bytes.
    const file = readFileSync(join(programDir(root, 'numbers'), segmentName(0, false)), 'latin1');
    const reader = new RecordReader();
    const numbers = file
      .split('\n')
      .slice(0, -1)
      .map((raw, pos) => reader.read(raw, pos))
      .filter((line) => line?.stream === 'stdout')
      .map((line) => line!.text);
    expect(numbers.length).toBe(count);
    expect(numbers.every((text, i) => text === String(i + 1))).toBe(true);
    // The ring's last lines are as whole after another child's output went through the slabs.
    const other = await call(s, 'children:start', {
      name: 'other',
      ...sh('yes overwritten | head -n 100000'),
    });
    await call(s, 'children:join', { id: other.id, timeoutMs: 60_000 });
    const { lines: kept } = await call(s, 'children:output', { id: child.id });
    expect(kept.length).toBeGreaterThan(1000);
    expect(kept.map((line) => line.text)).toEqual(numbers.slice(-kept.length));
    // Both children's reads took slabs the pool got back.
    expect(slabCounts().reused).toBeGreaterThan(before.reused);
  });

  it('rotates into gzip files and never passes maxBytes × maxFiles while 1 GiB goes through', async () => {
    const root = tempRoot();
    const s = service({ logs: { root } });
    await call(s, 'settings:set', { logMaxBytes: 1024 * 1024, logMaxFiles: 4 });
    const dir = programDir(root, 'flood');
    const limit = 4 * 1024 * 1024;
    const rssBefore = process.memoryUsage().rss;
    let maxDisk = 0;
    let maxRss = 0;
    const sampler = setInterval(() => {
      maxDisk = Math.max(maxDisk, diskUse(dir));
      maxRss = Math.max(maxRss, process.memoryUsage().rss);
    }, 5);
    // 1 GiB of 100-byte lines, as fast as `yes` writes them.
    const line = 'x'.repeat(99);
    const child = await call(s, 'children:start', {
      name: 'flood',
      ...sh(`yes ${line} | head -c ${1024 * 1024 * 1024}`),
    });
    await call(s, 'children:join', { id: child.id, timeoutMs: 240_000 });
    await s.logs.book.flushed();
    clearInterval(sampler);
    maxDisk = Math.max(maxDisk, diskUse(dir));
    const files = readdirSync(dir).filter((name) => name.endsWith('.log') || name.endsWith('.log.gz'));
    const [program] = await call(s, 'logs:list', {});
    console.log(
      `logs: 1 GiB through, max disk ${(maxDisk / 1024 / 1024).toFixed(2)} MiB of ${limit / 1024 / 1024}, ` +
        `rss +${((maxRss - rssBefore) / 1024 / 1024).toFixed(0)} MiB, ${program?.dropped} lines dropped, files ${files.join(' ')}`,
    );
    expect(maxDisk).toBeLessThanOrEqual(limit);
    expect(files.length).toBeLessThanOrEqual(4);
    expect(files.filter((name) => name.endsWith('.gz')).length).toBeGreaterThanOrEqual(1);
    // The bound stated in the report: the backend grows by less than 200 MiB however much goes through.
    expect(maxRss - rssBefore).toBeLessThan(200 * 1024 * 1024);
    const tail = await call(s, 'logs:read', { name: 'flood', limit: 10 });
    // The last lines are the child's, or a note of lines dropped at the very end.
    const last = tail.lines.filter((line) => line.stream === 'stdout').at(-1);
    expect(last?.text).toMatch(/^x+$/);
    expect(tail.lines.filter((line) => line.stream === 'note').map((line) => line.text)).toEqual(
      tail.lines
        .filter((line) => line.stream === 'note')
        .map(() => expect.stringMatching(/^\d+ lines dropped: /)),
    );
    expect(tail.end - tail.first).toBeGreaterThan(1000);
  }, 300_000);

  it('compresses no segment a flood deletes anyway, within the budget, the newest lines whole and in order', async () => {
    const root = tempRoot();
    const s = service({ logs: { root } });
    const segment = 2 * 1024 * 1024;
    await call(s, 'settings:set', { logMaxBytes: segment, logMaxFiles: 5 });
    const dir = programDir(root, 'behind');
    const copy = join(tempRoot('proctor-logs-copy-'), 'written.txt');
    let maxDisk = 0;
    let maxFiles = 0;
    let maxRaw = 0;
    const sampler = setInterval(() => {
      const names = existsSync(dir) ? readdirSync(dir) : [];
      maxDisk = Math.max(maxDisk, diskUse(dir));
      maxFiles = Math.max(maxFiles, names.filter((name) => /\.log(\.gz)?$/.test(name)).length);
      maxRaw = Math.max(maxRaw, names.filter((name) => name.endsWith('.log')).length);
    }, 2);
    // Base64 of random bytes barely compresses: gzip takes it at tens of MB/s, the pipe brings it
    // several times faster. 32 MiB of it is less than the writer may queue: no line may be dropped.
    const child = await call(s, 'children:start', {
      name: 'behind',
      ...sh(`head -c ${24 * 1024 * 1024} /dev/urandom | base64 | tee ${copy}`),
    });
    await call(s, 'children:join', { id: child.id, timeoutMs: 60_000 });
    // Every line is on disk once written() resolves, whether its segment is compressed yet or not.
    await s.logs.book.written();
    const [program] = await call(s, 'logs:list', {});
    expect(program?.dropped).toBe(0);
    // Older segments were deleted for the budget; what is left is the child's last lines, none missing.
    const kept = (await readAll(s, 'behind'))
      .filter((line) => line.stream === 'stdout')
      .map((line) => line.text);
    const written = readFileSync(copy, 'utf8').split('\n').slice(0, -1);
    expect(kept.length).toBeGreaterThan((2 * segment) / 78);
    expect(kept).toEqual(written.slice(-kept.length));
    await s.logs.book.flushed();
    clearInterval(sampler);
    // No segment lasted the second a segment waits before gzip: three rotated segments, room for a
    // .gz as big as one, and the newest filled the budget, all of them raw.
    expect(maxRaw).toBe(4);
    expect(maxDisk).toBeLessThanOrEqual(5 * segment);
    expect(maxFiles).toBeLessThanOrEqual(5);
    // The flush compressed the rotated segments that were left.
    const names = readdirSync(dir).sort();
    expect(names.slice(0, -1).every((name) => name.endsWith('.log.gz'))).toBe(true);
  }, 120_000);

  it('compresses a segment that lasts about a second after its rotation, while the program runs on', async () => {
    const root = tempRoot();
    const s = service({ logs: { root } });
    await call(s, 'settings:set', { logMaxBytes: 64 * 1024, logMaxFiles: 5 });
    const dir = programDir(root, 'lasts');
    const names = (): string[] => (existsSync(dir) ? readdirSync(dir).sort() : []);
    // About 90 KB: one rotation, then the program sleeps.
    const child = await call(s, 'children:start', {
      name: 'lasts',
      ...sh(
        'i=0; while [ $i -lt 2500 ]; do echo "line $i of a segment that lasts"; i=$((i+1)); done; sleep 30',
      ),
    });
    const rotated = await until('a rotation', () => (names().length >= 2 ? Date.now() : undefined));
    expect(names()).toEqual(['000000000000.log', expect.stringMatching(/^\d{12}\.log$/)]);
    const compressed = await until('a compression', () =>
      names().includes('000000000000.log.gz') ? Date.now() : undefined,
    );
    // Polling every 25 ms sees the rotation late, never early: the second is there but for that.
    expect(compressed - rotated).toBeGreaterThanOrEqual(900);
    expect(names()).toEqual(['000000000000.log.gz', expect.stringMatching(/^\d{12}\.log$/)]);
    const [info] = await call(s, 'children:list', {});
    expect(info).toMatchObject({ id: child.id, state: 'running' });
    const lines = (await readAll(s, 'lasts')).filter((line) => line.stream === 'stdout');
    expect(lines.map((line) => line.text)).toEqual(
      Array.from({ length: 2500 }, (_, i) => `line ${i} of a segment that lasts`),
    );
  }, 60_000);

  it('keeps within the budget at two files, the fewest allowed, for output gzip cannot shrink much', async () => {
    const root = tempRoot();
    const s = service({ logs: { root } });
    const segment = 1024 * 1024;
    await call(s, 'settings:set', { logMaxBytes: segment, logMaxFiles: 2 });
    const dir = programDir(root, 'two');
    let maxDisk = 0;
    const sampler = setInterval(() => {
      maxDisk = Math.max(maxDisk, diskUse(dir));
    }, 2);
    // A raw segment, its .gz (three quarters of it for base64) and a full new segment would be 2.75 MiB.
    const child = await call(s, 'children:start', {
      name: 'two',
      ...sh(`head -c ${6 * 1024 * 1024} /dev/urandom | base64`),
    });
    await call(s, 'children:join', { id: child.id, timeoutMs: 60_000 });
    await s.logs.book.flushed();
    clearInterval(sampler);
    expect(maxDisk).toBeLessThanOrEqual(2 * segment);
    const [program] = await call(s, 'logs:list', {});
    expect(program?.dropped).toBe(0);
  }, 120_000);

  it('searches across rotated gzip files and finds a line from the oldest', async () => {
    const root = tempRoot();
    const s = service({ logs: { root } });
    // About 190 KB in awk's buffered writes: three segments, two of them rotated, all kept.
    await call(s, 'settings:set', { logMaxBytes: 64 * 1024, logMaxFiles: 5 });
    const child = await call(s, 'children:start', {
      name: 'search',
      ...sh(`awk 'BEGIN { for (i = 0; i < 10000; i++) print "record " i " Alpha" }'; echo needle >&2`),
    });
    await call(s, 'children:join', { id: child.id, timeoutMs: 20_000 });
    await s.logs.book.flushed();
    const dir = programDir(root, 'search');
    const segments = await until('a finished compression', () => {
      const names = readdirSync(dir)
        .filter((name) => /\.log(\.gz)?$/.test(name))
        .sort();
      return names.length >= 3 && names.slice(0, -1).every((name) => name.endsWith('.gz'))
        ? names
        : undefined;
    });
    expect(segments[0]).toBe('000000000000.log.gz');

    // Position 0 is the run's note: record i is at position i + 1.
    const exact = await call(s, 'logs:search', { name: 'search', pattern: 'record 7 Alpha' });
    expect(exact.matches.map((m) => [m.pos, m.text])).toEqual([[8, 'record 7 Alpha']]);
    const regex = await call(s, 'logs:search', {
      name: 'search',
      pattern: '^record 1[0-2] alpha$',
      regex: true,
    });
    expect(regex.matches.map((m) => m.text)).toEqual([
      'record 10 Alpha',
      'record 11 Alpha',
      'record 12 Alpha',
    ]);
    const cased = await call(s, 'logs:search', { name: 'search', pattern: 'alpha', caseSensitive: true });
    expect(cased.matches).toEqual([]);
    const errs = await call(s, 'logs:search', { name: 'search', pattern: 'e', stream: 'stderr' });
    expect(errs.matches.map((m) => [m.pos, m.text])).toEqual([[10001, 'needle']]);
    const paged = await call(s, 'logs:search', { name: 'search', pattern: 'Alpha', limit: 2, from: 9999 });
    expect(paged).toMatchObject({ matches: [{ pos: 9999 }, { pos: 10000 }], next: 10001 });

    const bad = await s.invoke('logs:search', { name: 'search', pattern: '(', regex: true });
    expect(bad).toMatchObject({ ok: false, error: { code: 'E_INVALID', path: 'pattern' } });
  });

  it('goes on at the next position after a backend restart, the old lines still readable', async () => {
    const root = tempRoot();
    const first = service({ logs: { root } });
    const a = await call(first, 'children:start', { name: 'again', ...sh('echo one; echo two') });
    await call(first, 'children:join', { id: a.id, timeoutMs: 10_000 });
    await first.shutdown('terminate');

    const second = service({ logs: { root } });
    expect((await call(second, 'logs:read', { name: 'again' })).lines.map((l) => l.text)).toEqual([
      runNote(0),
      'one',
      'two',
    ]);
    const b = await call(second, 'children:start', { name: 'again', ...sh('echo three') });
    await call(second, 'children:join', { id: b.id, timeoutMs: 10_000 });
    await second.logs.book.flushed();
    const page = await call(second, 'logs:read', { name: 'again' });
    // Each run starts with a note of its own, which the window shows as a separator.
    expect(page.lines.map((l) => [l.pos, l.stream, l.text])).toEqual([
      [0, 'note', runNote(0)],
      [1, 'stdout', 'one'],
      [2, 'stdout', 'two'],
      [3, 'note', runNote(0)],
      [4, 'stdout', 'three'],
    ]);
    expect(readdirSync(join(root, 'again'))).toContain('000000000000.log');
  });
});
