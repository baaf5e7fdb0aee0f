// Clients that speak below the libraries: raw HTTP requests and raw WebSocket frames on a TCP socket, so a
// test can send what no well-behaved client would (bad lengths, opcodes, masks, encodings, headers).
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** How long a raw exchange may take before the test gives up on the answer (never on the server). */
const EXCHANGE_MS = 20_000;

export interface RawFrame {
  fin?: boolean;
  /** The three reserved bits, 0..7; anything but 0 is a protocol error without an extension. */
  rsv?: number;
  opcode: number;
  payload?: Uint8Array;
  /** The mask key; null sends the frame unmasked (a protocol error from a client). */
  mask?: Uint8Array | null;
  /** The length the header announces, when it is to differ from the payload's. */
  announced?: bigint;
}

/** One frame as RFC 6455 lays it out, whatever the fields say. */
export function encodeFrame(frame: RawFrame): Buffer {
  const payload = Buffer.from(frame.payload ?? new Uint8Array());
  const length = frame.announced ?? BigInt(payload.length);
  const mask = frame.mask === undefined ? randomBytes(4) : frame.mask;
  const first = ((frame.fin ?? true) ? 0x80 : 0) | (((frame.rsv ?? 0) & 7) << 4) | (frame.opcode & 0x0f);
  const maskBit = mask === null ? 0 : 0x80;
  let header: Buffer;
  if (length < 126n) header = Buffer.from([first, maskBit | Number(length)]);
  else if (length < 65_536n) {
    header = Buffer.alloc(4);
    header.writeUInt16BE(Number(length), 2);
    header[1] = maskBit | 126;
  } else {
    header = Buffer.alloc(10);
    header.writeBigUInt64BE(length, 2);
    header[1] = maskBit | 127;
  }
  header[0] = first;
  if (mask === null) return Buffer.concat([header, payload]);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
  return Buffer.concat([header, Buffer.from(mask), masked]);
}

export interface Upgraded {
  socket: Socket;
  /** The status line of the server's answer to the upgrade. */
  status: string;
  /** Resolves when the server (or we) closed the connection, or after a bounded wait. */
  closed: Promise<void>;
}

function settled(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve();
    }, EXCHANGE_MS);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** A real WebSocket upgrade on a raw socket, with whatever headers the test chooses. */
export function rawUpgrade(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<Upgraded> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => socket.destroy());
    const closed = settled(socket);
    const lines = [
      `GET ${path} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    ];
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      socket.off('data', onData);
      // Frames the server sends later (a close for a missing token, results) are read and dropped.
      socket.on('data', () => undefined);
      resolve({ socket, status: head.subarray(0, head.indexOf('\r\n')).toString('latin1'), closed });
    };
    socket.on('data', onData);
    void closed.then(() => reject(new Error(`upgrade of ${path} got no answer: ${head.toString('latin1')}`)));
  });
}

/**
 * Sends raw bytes as one HTTP exchange; resolves with the status line as soon as it arrives ('' when the
 * server closed without one). The request must be complete: the socket stays open (a half-close would
 * end a response still being read from disk), so a body shorter than announced waits the full bound.
 */
export function rawHttp(port: number, request: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = Buffer.alloc(0);
    let status: string | null = null;
    socket.on('data', (chunk: Buffer) => {
      answer = Buffer.concat([answer, chunk]);
      const end = answer.indexOf('\r\n');
      if (end === -1 || status !== null) return;
      status = answer.subarray(0, end).toString('latin1');
      socket.destroy();
    });
    socket.on('error', () => socket.destroy());
    void settled(socket).then(() => resolve(status ?? ''));
    socket.write(request);
  });
}

/** Runs `task` over `items`, at most `width` at a time. */
export async function inParallel<T>(items: readonly T[], width: number, task: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: width }, worker));
}
