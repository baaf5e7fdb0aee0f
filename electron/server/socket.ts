// The contract over one WebSocket: invoke frames in, result and event frames out.
import type WebSocket from 'ws';
import { eventNames, invokeFromWire, type Backend } from '../../shared/contract';
import { WS_CLOSE_PROTOCOL, type InvokeFrame, type ServerFrame } from '../../shared/wire';

/** A client this far behind is better served by reconnecting and taking a fresh snapshot. */
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

function parseInvoke(data: WebSocket.RawData): InvokeFrame | null {
  let frame: unknown;
  try {
    frame = JSON.parse(data.toString());
  } catch {
    return null;
  }
  if (typeof frame !== 'object' || frame === null) return null;
  const { kind, id, name } = frame as Record<string, unknown>;
  if (kind !== 'invoke' || typeof id !== 'number' || !Number.isSafeInteger(id)) return null;
  return {
    kind,
    id,
    name: typeof name === 'string' ? name : String(name),
    request: (frame as InvokeFrame).request,
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
  const unsubscribe = eventNames.map((name) =>
    backend.on(name, (payload) => send({ kind: 'event', name, payload })),
  );
  socket.on('message', (data) => {
    const frame = parseInvoke(data);
    if (!frame) {
      socket.close(WS_CLOSE_PROTOCOL, 'expected {"kind":"invoke","id":<int>,"name":<string>,"request":…}');
      return;
    }
    void invokeFromWire(backend, frame.name, frame.request).then((result) =>
      send({ kind: 'result', id: frame.id, result }),
    );
  });
  socket.on('close', () => unsubscribe.forEach((off) => off()));
}
