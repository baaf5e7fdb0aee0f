// Output capture: lines split across chunks, a bounded ring with dropped counts, and a 256 MiB flood
// that must not grow this process's memory past the bound.
import { describe, expect, it } from 'vitest';
import type { OutputLine, OutputStream } from '../../../shared/model';
import { OutputRing, lineText, type OutputBlock } from '../../../electron/core/supervisor/output';
import { sh, supervisors } from './helpers';

const make = supervisors();

function split(chunks: Array<string | Buffer>, maxLineBytes = 16): string[] {
  const ring = new OutputRing({ maxLineBytes });
  const intake = ring.intake('stdout');
  for (const chunk of chunks) intake.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  intake.end();
  return ring.lines().map((line) => line.text);
}

/** Each text as a line of its own chunk, as a child flushing after each line writes it. */
function feed(ring: OutputRing, stream: OutputStream, ...texts: string[]): void {
  const intake = ring.intake(stream);
  for (const text of texts) intake.write(Buffer.from(`${text}\n`));
}

describe('LineIntake', () => {
  it('joins lines split across chunks and keeps empty lines', () => {
    expect(split(['ab', 'c\nde', 'f\n\ng', 'h'])).toEqual(['abc', 'def', '', 'gh']);
  });

  it('strips CRLF endings', () => {
    expect(split(['one\r\ntw', 'o\r', '\n'])).toEqual(['one', 'two']);
  });

  it('keeps a multi-byte character split between chunks intact', () => {
    const bytes = Buffer.from('née\n');
    expect(split([bytes.subarray(0, 2), bytes.subarray(2)])).toEqual(['née']);
  });

  it('cuts a very long line at the cap and counts the rest, in one chunk or many', () => {
    const marker = '0123456789abcdef … [line truncated: 24 more bytes]';
    const long = '0123456789abcdef' + 'x'.repeat(24);
    expect(split([`${long}\nnext\n`])).toEqual([marker, 'next']);
    expect(split([long.slice(0, 5), long.slice(5, 30), long.slice(30), '\nnext'])).toEqual([marker, 'next']);
  });

  it('cuts a chunk into one block: one time, consecutive seqs, nothing decoded for block listeners', () => {
    const ring = new OutputRing();
    const blocks: OutputBlock[] = [];
    ring.subscribeBlocks((block) => blocks.push(block));
    const intake = ring.intake('stderr');
    intake.write(Buffer.from('a\r\nbb\nccc\nta'));
    intake.write(Buffer.from('il\nx\n'));
    expect(blocks.map((block) => [block.firstSeq, block.count, block.stream])).toEqual([
      [1, 3, 'stderr'],
      [4, 1, 'stderr'],
      [5, 1, 'stderr'],
    ]);
    expect(Array.from({ length: 3 }, (_, i) => lineText(blocks[0]!, i))).toEqual(['a', 'bb', 'ccc']);
    const lines = ring.lines();
    expect(lines.map((line) => [line.seq, line.text])).toEqual([
      [1, 'a'],
      [2, 'bb'],
      [3, 'ccc'],
      [4, 'tail'],
      [5, 'x'],
    ]);
    expect(new Set(lines.slice(0, 3).map((line) => line.at)).size).toBe(1);
  });
});

describe('OutputRing', () => {
  it('keeps the last maxLines, counts the dropped, and pages by seq', () => {
    const ring = new OutputRing({ maxLines: 3 });
    feed(ring, 'stdout', ...Array.from({ length: 5 }, (_, i) => `line ${i + 1}`));
    expect(ring.dropped).toBe(2);
    expect(ring.lines().map((line) => [line.seq, line.text])).toEqual([
      [3, 'line 3'],
      [4, 'line 4'],
      [5, 'line 5'],
    ]);
    expect(ring.lines(3).map((line) => line.seq)).toEqual([4, 5]);
    expect(ring.lines(0, 1).map((line) => line.seq)).toEqual([3]);
    expect(ring.lines(5)).toEqual([]);
  });

  it('keeps at most maxBytes of text, whichever limit comes first', () => {
    const ring = new OutputRing({ maxLines: 100, maxBytes: 10 });
    feed(ring, 'stderr', 'aaaa', 'bbbb', 'cccc');
    expect(ring.lines().map((line) => line.text)).toEqual(['bbbb', 'cccc']);
    expect(ring.dropped).toBe(1);
  });

  it('stays in order while blocks come and go, whole or in part, and pages inside a block', () => {
    const seqs = (ring: OutputRing) => ring.lines().map((line) => line.seq);
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    const text = (i: number) => String(i).padStart(10, '0');
    const byLines = new OutputRing({ maxLines: 150 });
    const byBytes = new OutputRing({ maxLines: 200, maxBytes: 1000 });
    const intakes = [byLines.intake('stdout'), byBytes.intake('stdout')];
    // Blocks of 7 lines: the limits fall inside a block, so the oldest one is dropped in part.
    for (let i = 1; i <= 399; i += 7) {
      const chunk = Buffer.from(
        range(i, i + 6)
          .map((n) => `${text(n)}\n`)
          .join(''),
      );
      for (const intake of intakes) intake.write(chunk);
      if (i === 99) expect(seqs(byLines)).toEqual(range(1, 105));
    }
    expect(seqs(byLines)).toEqual(range(250, 399));
    expect(byLines.lines().map((line) => line.text)).toEqual(range(250, 399).map(text));
    expect(seqs(byBytes)).toEqual(range(300, 399));
    expect([byLines.dropped, byBytes.dropped]).toEqual([249, 299]);
    expect(byLines.lines(300, 3).map((line) => line.seq)).toEqual([301, 302, 303]);
    expect(byLines.lines(10, 2).map((line) => line.seq)).toEqual([250, 251]);
  });

  it('subscribers get live lines until they unsubscribe', () => {
    const ring = new OutputRing();
    const seen: OutputLine[] = [];
    const stop = ring.subscribe((line) => seen.push(line));
    feed(ring, 'stdout', 'one');
    stop();
    feed(ring, 'stdout', 'two');
    expect(seen.map((line) => line.text)).toEqual(['one']);
  });
});

describe('captured output of real children', () => {
  it('tags stdout and stderr, keeps a last line without newline, all there by the time join resolves', async () => {
    const child = await make().start(sh('echo out; echo err >&2; printf tail'));
    await child.join();
    const lines = child.output.lines();
    expect(lines.map((line) => [line.stream, line.text]).sort()).toEqual([
      ['stderr', 'err'],
      ['stdout', 'out'],
      ['stdout', 'tail'],
    ]);
    expect(lines.map((line) => line.seq)).toEqual([1, 2, 3]);
  });

  it('re-emits blocks on the child and on the supervisor with the child id', async () => {
    const supervisor = make();
    const fromSupervisor: Array<[string, string]> = [];
    supervisor.on('output', ({ id, block }) => fromSupervisor.push([id, lineText(block, 0)]));
    const child = supervisor.create(sh('echo hello'));
    const fromChild: string[] = [];
    child.on('output', (block: OutputBlock) => fromChild.push(lineText(block, 0)));
    await child.start();
    await child.join();
    expect(fromChild).toEqual(['hello']);
    expect(fromSupervisor).toEqual([[child.id, 'hello']]);
  });

  it('stores a 1 MiB line cut at 16 KiB', async () => {
    const child = await make().start(sh("head -c 1048576 /dev/zero | tr '\\0' a; echo; echo after"));
    await child.join();
    const [long, after] = child.output.lines();
    expect(long!.text).toBe(`${'a'.repeat(16384)} … [line truncated: ${1048576 - 16384} more bytes]`);
    expect(after!.text).toBe('after');
  });

  it('a 256 MiB flood stays within the ring and the memory bound', async () => {
    const total = 256 * 1024 * 1024;
    const lineBytes = 1001;
    const expectedLines = Math.ceil(total / lineBytes);
    const child = make().create(sh(`yes "$(head -c 1000 /dev/zero | tr '\\0' x)" | head -c ${total}`));
    let seen = 0;
    child.output.subscribe(() => seen++);

    const baseline = process.memoryUsage.rss();
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
    const started = performance.now();
    await child.start();
    expect(await child.join()).toBe(0);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage.rss());
    const growthMb = (peak - baseline) / 1024 / 1024;
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `flood: ${expectedLines} lines in ${seconds.toFixed(1)} s, RSS growth ${growthMb.toFixed(1)} MB`,
    );

    expect(seen).toBe(expectedLines);
    const kept = child.output.lines();
    expect(kept).toHaveLength(5000);
    expect(child.output.dropped).toBe(expectedLines - 5000);
    expect(child.info().droppedLines).toBe(expectedLines - 5000);
    expect(kept.at(-1)!.seq).toBe(expectedLines);
    expect(kept.at(-1)!.text).toBe('x'.repeat(total % lineBytes));
    expect(kept.at(-2)!.text).toBe('x'.repeat(1000));
    // Kept output that grew with the flood would pass 256 MB; the rest is garbage the collector has not
    // reached yet, seen between 51 and 68 MB on one machine, so the bound leaves it room.
    expect(growthMb).toBeLessThan(128);
  }, 120_000);
});
