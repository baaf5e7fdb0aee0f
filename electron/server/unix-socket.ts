// The contract over a Unix domain socket, for the `proctor` command and a desktop app that attaches: one
// JSON frame a line, the WebSocket's invoke/result/event frames and the same boundary. Only the user can
// connect: the socket is 0600 (in a 0700 directory when Proctor makes it).
import { chmodSync, lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { eventNames, type Backend } from '../../shared/contract';
import { INVOKE_FRAME_HINT, LineReader, parseInvokeFrame } from '../../shared/frames';
import { SOCKET_MAX_LINE_CHARS, type SocketServerFrame } from '../../shared/wire';
import { appInfoWithin } from '../client/attach';
import { NoBackendError, connectSocket } from '../client/socket-client';
import { answerText, eventText } from './outgoing-frames';

/** A client this far behind is better served by reconnecting, as on the WebSocket. */
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;
const PROBE_MS = 2000;

export class AlreadyRunningError extends Error {
  constructor(
    readonly path: string,
    readonly pid: number | null,
  ) {
    super(
      pid === null
        ? `something is listening on ${path} but does not answer; stop it or choose another --socket`
        : `Proctor is already running (pid ${pid}) on ${path}`,
    );
    this.name = 'AlreadyRunningError';
  }
}

export interface ContractSocketServer {
  path: string;
  close(): Promise<void>;
}

/** Refuses a socket a live backend answers on; removes one that a killed backend left behind. */
async function claim(path: string): Promise<void> {
  try {
    const client = await connectSocket(path, { timeoutMs: PROBE_MS });
    const info = await appInfoWithin(client, PROBE_MS);
    client.close();
    throw new AlreadyRunningError(path, info?.pid ?? null);
  } catch (error) {
    if (!(error instanceof NoBackendError)) throw error;
  }
  let stale;
  try {
    stale = lstatSync(path);
  } catch {
    return;
  }
  if (!stale.isSocket()) throw new Error(`${path} exists and is not a socket; choose another --socket`);
  unlinkSync(path);
}

function serveConnection(socket: Socket, backend: Backend): void {
  socket.setEncoding('utf8');
  const reader = new LineReader(SOCKET_MAX_LINE_CHARS);
  const sendLine = (text: string): void => {
    if (!socket.writable) return;
    if (socket.writableLength > MAX_BUFFERED_BYTES) {
      socket.destroy();
      return;
    }
    socket.write(`${text}\n`);
  };
  const refuse = (message: string): void => {
    sendLine(JSON.stringify({ kind: 'protocol-error', message } satisfies SocketServerFrame));
    socket.end();
  };
  const unsubscribe = eventNames.map((name) =>
    backend.on(name, (payload) => sendLine(eventText(name, payload))),
  );
  socket.on('data', (chunk: string) => {
    if (!socket.writable) return;
    const lines = reader.push(chunk);
    if (!lines) return refuse(`a line is longer than ${SOCKET_MAX_LINE_CHARS} characters`);
    for (const line of lines) {
      const frame = parseInvokeFrame(line);
      if (!frame) return refuse(INVOKE_FRAME_HINT);
      void answerText(backend, frame.id, frame.name, frame.request).then(sendLine);
    }
  });
  socket.on('end', () => socket.end());
  socket.on('error', () => socket.destroy());
  socket.on('close', () => unsubscribe.forEach((off) => off()));
}

export async function listenContractSocket(backend: Backend, path: string): Promise<ContractSocketServer> {
  // An existing directory is left as it is; the socket's own 0600 is what connect(2) checks.
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  await claim(path);
  const connections = new Set<Socket>();
  const server: Server = createServer((socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    serveConnection(socket, backend);
  });
  // The umask makes the socket 0600 from the moment it exists, not only after the chmod.
  // listen() binds synchronously, so the umask is back before anything else in the process runs.
  const umask = process.umask(0o177);
  const listening = new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, resolve);
  });
  process.umask(umask);
  await listening;
  chmodSync(path, 0o600);
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of connections) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
