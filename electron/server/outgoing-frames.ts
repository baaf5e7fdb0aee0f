// The text of what the backend sends, the same on every transport: a WebSocket message is one frame, a
// Unix socket line is one frame and a newline.
import { invokeFromWire, type Backend, type Result } from '../../shared/contract';
import { messageOf } from '../../shared/errors';
import type { ServerFrame } from '../../shared/wire';
import { logClientError } from './client-errors';

function internal(error: unknown): Result<unknown> {
  return { ok: false, error: { code: 'E_INTERNAL', message: messageOf(error) } };
}

/**
 * Each event's frame as sent, by its payload: every client gets the same text, so it is encoded once, not
 * once per client (a tick's delta at 5,000 processes is the costliest thing sent). Weak: a payload's text
 * goes when the payload does.
 */
const encodedEvents = new WeakMap<object, { name: string; text: string }>();

export function eventText(name: string, payload: unknown): string {
  if (typeof payload !== 'object' || payload === null)
    return JSON.stringify({ kind: 'event', name, payload } satisfies ServerFrame);
  const cached = encodedEvents.get(payload);
  if (cached?.name === name) return cached.text;
  const text = JSON.stringify({ kind: 'event', name, payload } satisfies ServerFrame);
  encodedEvents.set(payload, { name, text });
  return text;
}

/** An answer that cannot be sent as it is (say, not JSON) still reaches its client, as E_INTERNAL. */
function resultText(id: number, result: Result<unknown>): string {
  try {
    return JSON.stringify({ kind: 'result', id, result } satisfies ServerFrame);
  } catch (error) {
    logClientError(`answer ${id}`, error);
    return JSON.stringify({ kind: 'result', id, result: internal(error) } satisfies ServerFrame);
  }
}

/** Runs a client's command and gives the text of its answer; a command that throws answers E_INTERNAL. */
export function answerText(backend: Backend, id: number, name: unknown, request: unknown): Promise<string> {
  return invokeFromWire(backend, name, request)
    .catch((error: unknown) => {
      logClientError(`command ${String(name)}`, error);
      return internal(error);
    })
    .then((result) => resultText(id, result));
}
