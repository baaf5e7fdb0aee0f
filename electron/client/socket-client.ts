// A client of a running backend over its Unix socket: the contract's typed invoke and events, one JSON
// frame a line. It is one more implementation of the backend port, beside the in-process service.
import { createConnection, type Socket } from 'node:net';
import type {
  CommandName,
  EventMap,
  EventName,
  Backend,
  RequestOf,
  ResponseOf,
  Result,
} from '../../shared/contract';
import { LineReader, parseSocketServerFrame } from '../../shared/frames';
import { Listeners } from '../../shared/listeners';
import { SOCKET_MAX_BACKEND_LINE_CHARS, type InvokeFrame } from '../../shared/wire';

/** The backend port, typed: what the in-process service offers, over the socket. */
export interface SocketClient extends Backend {
  readonly path: string;
  /** invoke, throwing a BackendError on `{ ok: false }`. */
  call<C extends CommandName>(name: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  /** Resolves when the connection is gone, whichever side ended it. */
  readonly closed: Promise<void>;
  close(): void;
}

/** Nothing answers on the socket: no file, or a file no process listens on (a backend that was killed). */
export class NoBackendError extends Error {
  constructor(readonly path: string) {
    super(`no Proctor backend is answering on ${path}`);
    this.name = 'NoBackendError';
  }
}

/** A `{ ok: false }` answer, its code kept for the caller to show (`E_NO_SUCH_CHILD: …`). */
export class BackendError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'BackendError';
  }
}

const lost = (message: string): Result<never> => ({ ok: false, error: { code: 'E_INTERNAL', message } });

function open(path: string, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new NoBackendError(path));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      // No file, or a file nobody listens on: both mean no backend. Anything else (EACCES) is its own error.
      reject(error.code === 'ENOENT' || error.code === 'ECONNREFUSED' ? new NoBackendError(path) : error);
    });
  });
}

export async function connectSocket(
  path: string,
  options: { timeoutMs?: number } = {},
): Promise<SocketClient> {
  const socket = await open(path, options.timeoutMs ?? 2000);
  socket.setEncoding('utf8');
  const hub = new Listeners<EventMap>();
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const reader = new LineReader(SOCKET_MAX_BACKEND_LINE_CHARS);
  let nextId = 1;
  let ending = 'the connection to Proctor was lost';

  const fail = (message: string): void => {
    ending = message;
    socket.destroy();
  };
  socket.on('data', (chunk: string) => {
    const lines = reader.push(chunk);
    if (!lines) return fail('the backend sent a line longer than the protocol allows');
    for (const line of lines) {
      const frame = parseSocketServerFrame(line);
      if (!frame) return fail('the backend sent something that is not a contract frame');
      if (frame.kind === 'protocol-error') ending = `the backend closed the connection: ${frame.message}`;
      else if (frame.kind === 'result') {
        pending.get(frame.id)?.(frame.result);
        pending.delete(frame.id);
      } else {
        // Not checked against the contract's list of events (that would load zod, most of a cold
        // `proctor ps`): a name nobody listens for reaches no one.
        hub.emit(frame.name as EventName, frame.payload as EventMap[EventName]);
      }
    }
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      for (const settle of pending.values()) settle(lost(ending));
      pending.clear();
      resolve();
    }),
  );

  const invoke = <C extends CommandName>(name: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>> => {
    if (socket.destroyed) return Promise.resolve(lost(ending));
    const id = nextId++;
    const frame: InvokeFrame = { kind: 'invoke', id, name, request };
    return new Promise((resolve) => {
      pending.set(id, resolve as (result: Result<unknown>) => void);
      socket.write(`${JSON.stringify(frame)}\n`);
    });
  };
  return {
    path,
    invoke,
    async call(name, request) {
      const result = await invoke(name, request);
      if (!result.ok) throw new BackendError(result.error.code, result.error.message);
      return result.value;
    },
    on: (event, listener) => hub.on(event, listener),
    closed,
    close: () => socket.end(),
  };
}
