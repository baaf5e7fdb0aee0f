// Children's pipes read into recycled slabs: where reads land, when a slab comes back, and that a
// real child's pipe is read that way on this Node (and a stream without a pipe handle as before).
import { spawn } from 'node:child_process';
import { PassThrough, type Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readPipe } from '../../../electron/core/supervisor/read-pipe';
import { Slab, SLAB_BYTES, SlabReads, slabCounts } from '../../../electron/core/supervisor/read-slabs';

/** Reads a stream to its end with readPipe: the chunks as text, with the slab each came in. */
function readAll(
  stream: Readable,
): Promise<{ text: string; slabs: Array<Slab | null>; closed: Promise<void> }> {
  return new Promise((resolve) => {
    let text = '';
    const slabs: Array<Slab | null> = [];
    const reader = readPipe(stream, {
      data: (chunk, slab) => {
        text += chunk.toString();
        slabs.push(slab);
      },
      end: () => resolve({ text, slabs, closed }),
    });
    const closed = new Promise<void>((done) => reader.once('close', () => done()));
  });
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
  it("reads a real child's pipe into slabs, to its end and close", async () => {
    const child = spawn('sh', ['-c', 'printf "one\\ntwo\\n"; printf "three\\n" >&2'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const [out, err] = await Promise.all([readAll(child.stdout), readAll(child.stderr)]);
    expect(out.text).toBe('one\ntwo\n');
    expect(err.text).toBe('three\n');
    // If this Node stops wrapping a child's pipe in a handle readPipe can take over, this fails
    // rather than every read quietly allocating again.
    expect([...out.slabs, ...err.slabs].every((slab) => slab instanceof Slab)).toBe(true);
    await Promise.all([out.closed, err.closed]);
  });

  it('reads a stream without a pipe handle as a stream, each chunk its own memory', async () => {
    const stream = new PassThrough();
    const read = readAll(stream);
    stream.end('a line\n');
    const { text, slabs } = await read;
    expect(text).toBe('a line\n');
    expect(slabs).toEqual([null]);
  });
});
