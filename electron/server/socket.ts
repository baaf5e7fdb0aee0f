// The contract over one WebSocket: invoke frames in, result and event frames out.
import type WebSocket from 'ws';
import { eventNames, type Backend } from '../../shared/contract';
import { INVOKE_FRAME_HINT, parseInvokeFrame } from '../../shared/frames';
import { WS_CLOSE_PROTOCOL } from '../../shared/wire';
import { answerText, eventText } from './outgoing-frames';

/** A client this far behind is better served by reconnecting and taking a fresh snapshot. */
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

export function serveContract(socket: WebSocket, backend: Backend): void {
  const sendText = (text: () => string): void => {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      socket.close(1013, 'client too slow; reconnect for a fresh snapshot');
      return;
    }
    socket.send(text());
  };
  const unsubscribe = eventNames.map((name) =>
    backend.on(name, (payload) => sendText(() => eventText(name, payload))),
  );
  socket.on('message', (data) => {
    const frame = parseInvokeFrame(data.toString());
    if (!frame) {
      socket.close(WS_CLOSE_PROTOCOL, INVOKE_FRAME_HINT);
      return;
    }
    void answerText(backend, frame.id, frame.name, frame.request).then((text) => sendText(() => text));
  });
  socket.on('close', () => unsubscribe.forEach((off) => off()));
}
