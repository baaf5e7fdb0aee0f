// Parsing the contract's frames, for every transport that carries them as text: the headless WebSocket
// (one frame a message) and the Unix socket (one frame a line). Whatever arrives is untrusted.
import type { InvokeFrame, SocketServerFrame } from './wire';

/** What a peer is told before the connection closes on a frame that is not an invoke. */
export const INVOKE_FRAME_HINT = 'expected {"kind":"invoke","id":<int>,"name":<string>,"request":…}';

function parseObject(text: string): Record<string, unknown> | null {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return null;
  }
  return typeof frame === 'object' && frame !== null && !Array.isArray(frame)
    ? (frame as Record<string, unknown>)
    : null;
}

/**
 * An invoke frame from a client, or null for anything else: a name that is not a string is as wrong as a
 * missing id (never coerced, so `["app:info"]` is no command). Whether the name is a command is dispatch's.
 */
export function parseInvokeFrame(text: string): InvokeFrame | null {
  const frame = parseObject(text);
  if (!frame) return null;
  const { kind, id, name, request } = frame;
  if (kind !== 'invoke' || typeof id !== 'number' || !Number.isSafeInteger(id)) return null;
  if (typeof name !== 'string') return null;
  return { kind, id, name, request };
}

/** A frame from a backend, or null when it is not one: a client treats that as a broken connection. */
export function parseSocketServerFrame(text: string): SocketServerFrame | null {
  const frame = parseObject(text);
  if (!frame) return null;
  if (frame.kind === 'result' && typeof frame.id === 'number' && typeof frame.result === 'object')
    return frame as unknown as SocketServerFrame;
  if (frame.kind === 'event' && typeof frame.name === 'string') return frame as unknown as SocketServerFrame;
  if (frame.kind === 'protocol-error' && typeof frame.message === 'string')
    return frame as unknown as SocketServerFrame;
  return null;
}

/**
 * Splits a stream of text into lines, none longer than `maxChars`: a peer that never sends a newline
 * cannot make the reader hold an unbounded buffer.
 */
export class LineReader {
  private partial = '';

  constructor(private readonly maxChars: number) {}

  /** The complete lines this chunk ends; null once a line runs past the bound (the stream is unusable). */
  push(chunk: string): string[] | null {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop()!;
    if (this.partial.length > this.maxChars || parts.some((line) => line.length > this.maxChars)) return null;
    return parts;
  }
}
