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

/**
 * Each event's frame as sent, by its payload: every client gets the same text, so it is encoded once, not
 * once per client (a tick's delta at 5,000 processes is the costliest thing sent). Weak: a payload's text
 * goes when the payload does.
 */
const encodedEvents = new WeakMap<object, { name: string; text: string }>();

function encodeEvent(name: string, payload: unknown): string {
  if (typeof payload !== 'object' || payload === null)
    return JSON.stringify({ kind: 'event', name, payload } satisfies ServerFrame);
  const cached = encodedEvents.get(payload);
  if (cached?.name === name) return cached.text;
  const text = JSON.stringify({ kind: 'event', name, payload } satisfies ServerFrame);
  encodedEvents.set(payload, { name, text });
  return text;
}

export function serveContract(socket: WebSocket, backend: Backend): void {
  const sendText = (text: () => string): void => {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      socket.close(1013, 'client too slow; reconnect for a fresh snapshot');
      return;
    }
    socket.send(text());
  };
  const send = (frame: ServerFrame): void => sendText(() => JSON.stringify(frame));
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
    backend.on(name, (payload) => sendText(() => encodeEvent(name, payload))),
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
