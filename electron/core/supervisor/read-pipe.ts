// A child's stdout or stderr read into recycled slabs (see read-slabs.ts). Node lets a socket read into
// memory of our own (`onread`) but gives child_process's pipes no such option, so the pipe's handle is
// moved to a socket made with one, the way child_process itself wraps it. Where this Node's sockets are
// not made that way, the pipe is read as a stream, each read into a new buffer as before.
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

/** Reads `stream` (a child's output pipe) until it ends; returns the stream whose 'close' ends it. */
export function readPipe(stream: Readable, on: PipeListener): Readable {
  const owner = stream as Readable & { _handle?: unknown };
  const handle = owner._handle;
  // A guard kept ready (launch-shim.ts) is spawned long before its run: whatever its pipe already
  // gave the old socket is read through that socket, as before.
  if (!isPipeHandle(handle) || stream.readableLength > 0) {
    stream.on('data', (chunk: Buffer) => on.data(chunk, null));
    stream.once('end', () => on.end());
    return stream;
  }
  // The old socket lets go of the handle first, so destroying it closes nothing.
  owner._handle = null;
  stream.destroy();
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
  // A guard kept ready unrefs its pipes (launch-shim.ts); the run they now carry holds the app open.
  socket.ref();
  socket.once('end', () => on.end());
  socket.once('close', () => reads.close());
  return socket;
}
