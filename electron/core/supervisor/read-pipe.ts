// A child's stdout or stderr, read into recycled slabs (see read-slabs.ts) once it has given enough to
// be worth it. Node lets a socket read into memory of our own (`onread`) but gives child_process's pipes
// no such option, so the pipe's handle is moved to a socket made with one, the way child_process itself
// wraps it. Until then, and where this Node's sockets are not made that way, the pipe is read as a
// stream, each read into a new buffer.
import { Socket, type SocketConstructorOpts } from 'node:net';
import type { Readable } from 'node:stream';
import { SlabReads, type Slab } from './read-slabs';

/** What a socket's handle needs for reads into memory of our own. */
interface PipeHandle {
  readStart(): number;
  useUserBuffer(buffer: Uint8Array): void;
}

function isPipeHandle(handle: unknown): handle is PipeHandle {
  const methods = handle as Partial<Record<keyof PipeHandle, unknown>> | null;
  return (
    typeof methods === 'object' &&
    methods !== null &&
    typeof methods.readStart === 'function' &&
    typeof methods.useUserBuffer === 'function'
  );
}

export interface PipeListener {
  /** `slab` is where `chunk` lies, for whoever keeps it to hold; null when the chunk is its own memory. */
  data(chunk: Buffer, slab: Slab | null): void;
  end(): void;
}

/**
 * Bytes a pipe gives as a stream before it is moved to slabs. The move costs about 50 µs a stream (a
 * socket made, one destroyed), a few percent of a short child's whole start: a child that prints
 * little never pays it, one that floods pays it once.
 */
const SLAB_AFTER_BYTES = 64 * 1024;

/** Reads `stream` (a child's output pipe) to its end; resolves once the pipe is closed. */
export function readPipe(stream: Readable, on: PipeListener): Promise<void> {
  return new Promise((closed) => {
    let seen = 0;
    const data = (chunk: Buffer): void => {
      on.data(chunk, null);
      seen += chunk.length;
      // After this read's callback, before the next read: a read under way ends on the old socket.
      if (seen >= SLAB_AFTER_BYTES && seen - chunk.length < SLAB_AFTER_BYTES) process.nextTick(moveToSlabs);
    };
    const end = (): void => on.end();
    const close = (): void => closed();
    const moveToSlabs = (): void => {
      const owner = stream as Readable & { _handle?: unknown };
      const handle = owner._handle;
      // Where this Node's socket is not made that way, or the old socket already holds data or its
      // end, the pipe is read to its end as a stream.
      if (!isPipeHandle(handle) || stream.readableLength > 0 || !stream.readable) return;
      stream.off('data', data).off('end', end).off('close', close);
      // The old socket lets go of the handle first, so destroying it closes nothing.
      owner._handle = null;
      stream.destroy();
      slabSocket(handle, on).once('close', close);
    };
    stream.on('data', data).once('end', end).once('close', close);
    if (stream.closed) closed();
  });
}

/** A socket on `handle` whose reads land in slabs, the way child_process wraps a child's pipe. */
function slabSocket(handle: PipeHandle, on: PipeListener): Socket {
  const reads = new SlabReads();
  const socket = new Socket({
    handle,
    readable: true,
    onread: {
      buffer: () => reads.room(),
      callback: (bytes: number) => {
        const { data, slab } = reads.take(bytes);
        on.data(data, slab);
      },
    },
  } as SocketConstructorOpts);
  socket.once('end', () => on.end());
  socket.once('close', () => reads.close());
  return socket;
}
