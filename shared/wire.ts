// The WebSocket framing of the contract (headless mode). Electron IPC needs none: it has invoke/send.
import type { Result } from './contract';

/** The path of the WebSocket endpoint; the token rides as `?token=`. */
export const WS_PATH = '/ws';
/** WebSocket close code for a missing or wrong token (HTTP answers 401). */
export const WS_CLOSE_UNAUTHORIZED = 4401;
/** WebSocket close code for a message that is not a contract frame. */
export const WS_CLOSE_PROTOCOL = 4400;

export interface InvokeFrame {
  kind: 'invoke';
  id: number;
  name: string;
  request: unknown;
}

export interface ResultFrame {
  kind: 'result';
  id: number;
  result: Result<unknown>;
}

export interface EventFrame {
  kind: 'event';
  name: string;
  payload: unknown;
}

export type ServerFrame = ResultFrame | EventFrame;

/** The Unix socket's one frame a line, at most this long from a client: the same bound as a WebSocket message. */
export const SOCKET_MAX_LINE_CHARS = 1024 * 1024;
/** From the backend: a busy machine's process snapshot runs past a megabyte (5,000 processes: about 1 MB). */
export const SOCKET_MAX_BACKEND_LINE_CHARS = 256 * 1024 * 1024;

/** On the Unix socket, which has no close codes: the last line a peer gets before a malformed frame closes it. */
export interface ProtocolErrorFrame {
  kind: 'protocol-error';
  message: string;
}

export type SocketServerFrame = ServerFrame | ProtocolErrorFrame;
