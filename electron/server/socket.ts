// The contract over one WebSocket: invoke frames in, result and event frames out.
import type WebSocket from 'ws';
import { eventNames, invokeFromWire, type Backend, type Result } from '../../shared/contract';
import { messageOf } from '../../shared/errors';
import { INVOKE_FRAME_HINT, parseInvokeFrame } from '../../shared/frames';
import { WS_CLOSE_PROTOCOL, type ServerFrame } from '../../shared/wire';
import { logClientError } from './client-errors';

/** A client this far behind is better served by reconnecting and taking a fresh snapshot. */
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

function internal(error: unknown): Result<unknown> {
  return {
    ok: false,
    error: { code: 'E_INTERNAL', message: messageOf(error) },
  };
}

export function serveContract(socket: WebSocket, backend: Backend): void {
  const send = (frame: ServerFrame): void => {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      socket.close(1013, 'client too slow; reconnect for a fresh snapshot');
      return;
    }
    socket.send(JSON.stringify(frame));
  };
  /** An answer that cannot be sent as it is (say, not JSON) still reaches its client, as E_INTERNAL. */
  const answer = (id: number, result: Result<unknown>): void => {
    try {
      send({ kind: 'result', id, result });
    } catch (error) {
      logClientError(`answer ${id}`, error);
      send({ kind: 'result', id, result: internal(error) });
    }
  };
  const unsubscribe = eventNames.map((name) =>
    backend.on(name, (payload) => send({ kind: 'event', name, payload })),
  );
  socket.on('message', (data) => {
    const frame = parseInvokeFrame(data.toString());
    if (!frame) {
      socket.close(WS_CLOSE_PROTOCOL, INVOKE_FRAME_HINT);
      return;
    }
    void invokeFromWire(backend, frame.name, frame.request)
      .catch((error: unknown) => {
        logClientError(`command ${frame.name}`, error);
        return internal(error);
      })
      .then((result) => answer(frame.id, result));
  });
  socket.on('close', () => unsubscribe.forEach((off) => off()));
}
