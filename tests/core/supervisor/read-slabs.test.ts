// Children's pipes read into recycled slabs: where reads land, when a slab comes back, and that a
// real child's pipe moves to slabs once it floods (a stream without a pipe handle is read as before).
import { spawn } from 'node:child_process';
import { PassThrough, type Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readPipe } from '../../../electron/core/supervisor/read-pipe';
import { Slab, SLAB_BYTES, SlabReads, slabCounts } from '../../../electron/core/supervisor/read-slabs';

/** Reads a stream with readPipe until it is closed: its text, and the slab each chunk came in. */
async function readAll(
  stream: Readable,
): Promise<{ text: string; slabs: Array<Slab | null>; ended: boolean }> {
  let text = '';
  let ended = false;
  const slabs: Array<Slab | null> = [];
  await readPipe(stream, {
    data: (chunk, slab) => {
      text += chunk.toString();
      slabs.push(slab);
    },
    end: () => (ended = true),
  });
  return { text, slabs, ended };
}

function numbers(count: number): string {
  return Array.from({ length: count }, (_, i) => `${i + 1}\n`).join('');
}

describe('SlabReads', () => {
  it('places reads one after another in a slab and takes the next when a read would not fit', () => {
    const reads = new SlabReads();
    const room = reads.room();
    expect(room.length).toBe(SLAB_BYTES);
    room.write('first');
    const first = reads.take(5);
    expect(first.data.toString()).toBe('first');
    reads.room().write('second');
    const second = reads.take(6);
    expect(second.slab).toBe(first.slab);
    expect(second.data.byteOffset).toBe(first.data.byteOffset + 5);
    expect(first.data.toString()).toBe('first');
    // Less than a read's room (32 KiB) left: the next read goes to another slab. The first is held,
    // as a block kept in the ring would hold it, so it is not the next one taken from the pool.
    first.slab.hold();
    reads.room();
    reads.take(SLAB_BYTES - 11 - 1000);
    reads.room().write('third');
    expect(reads.take(5).slab).not.toBe(first.slab);
    expect(first.data.toString()).toBe('first');
    reads.close();
    first.slab.release();
  });

  it('gives a slab back to the pool only once every holder has released it, and reuses it', () => {
    const reads = new SlabReads();
    reads.room();
    const { slab } = reads.take(10);
    slab.hold();
    const before = slabCounts();
    reads.close();
    expect(slabCounts()).toEqual(before);
    slab.release();
    expect(slabCounts()).toEqual({ ...before, free: before.free + 1 });
    const next = new SlabReads();
    next.room();
    expect(next.take(1).slab).toBe(slab);
    expect(slabCounts()).toEqual({ ...before, reused: before.reused + 1 });
    next.close();
  });
});

describe('readPipe', () => {
  it("moves a real child's flooding pipe to slabs after its first 64 KiB, every byte in order", async () => {
    const child = spawn('sh', ['-c', 'seq 1 200000; seq 1 3 >&2'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const [out, err] = await Promise.all([readAll(child.stdout), readAll(child.stderr)]);
    expect(out.text).toBe(numbers(200_000));
    expect(out.ended).toBe(true);
    // If this Node stops wrapping a child's pipe in a handle readPipe can move, this fails rather than
    // every read quietly allocating again.
    expect(out.slabs[0]).toBeNull();
    expect(out.slabs.at(-1)).toBeInstanceOf(Slab);
    // A pipe that gives little stays a stream: the move would cost more than it saves.
    expect(err).toEqual({ text: numbers(3), slabs: [null], ended: true });
  });

  it('reads a stream without a pipe handle as a stream to its end, each chunk its own memory', async () => {
    const stream = new PassThrough();
    const read = readAll(stream);
    stream.write(Buffer.alloc(100 * 1024, 'a'));
    stream.end('b\n');
    const { text, slabs, ended } = await read;
    expect(text).toBe(`${'a'.repeat(100 * 1024)}b\n`);
    expect(slabs.every((slab) => slab === null)).toBe(true);
    expect(ended).toBe(true);
  });
});
