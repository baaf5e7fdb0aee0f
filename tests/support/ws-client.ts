// A Node-side contract client over the headless WebSocket, for tests that set up or check state
// beside the UI, and for the contract's own transport tests.
import { once } from 'node:events';
import WebSocket from 'ws';
import type { CommandName, EventMap, RequestOf, ResponseOf, Result } from '../../shared/contract';
import { WS_PATH, type ServerFrame } from '../../shared/wire';

export interface ContractClient {
  socket: WebSocket;
  invoke<C extends CommandName>(name: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
  /** Sends any frame body, typed or not: for fuzzing the boundary. */
  invokeRaw(name: unknown, request: unknown): Promise<Result<unknown>>;
  /** invoke, throwing on `{ ok: false }`. */
  call<C extends CommandName>(name: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  events: Array<{ name: keyof EventMap; payload: unknown }>;
  close(): void;
}

export async function connectContract(
  baseUrl: string,
  token: string,
  origin?: string,
): Promise<ContractClient> {
  const base = new URL(baseUrl);
  const socket = new WebSocket(`ws://${base.host}${WS_PATH}?token=${encodeURIComponent(token)}`, {
    origin: origin ?? base.origin,
  });
  await once(socket, 'open');
  let nextId = 1;
  const pending = new Map<
    number,
    { resolve: (result: Result<unknown>) => void; reject: (error: Error) => void }
  >();
  // A server that went away answers nothing more: every call still waiting fails instead of hanging.
  socket.on('close', (code) => {
    for (const { reject } of pending.values()) reject(new Error(`socket closed (${code}) before the answer`));
    pending.clear();
  });
  const events: ContractClient['events'] = [];
  socket.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString()) as ServerFrame;
    if (frame.kind === 'result') {
      pending.get(frame.id)?.resolve(frame.result);
      pending.delete(frame.id);
    } else events.push({ name: frame.name as keyof EventMap, payload: frame.payload });
  });
  const invokeRaw = (name: unknown, request: unknown) =>
    new Promise<Result<unknown>>((resolve, reject) => {
      if (socket.readyState !== socket.OPEN) return reject(new Error('socket closed'));
      const id = nextId++;
      pending.set(id, { resolve, reject });
      socket.send(JSON.stringify({ kind: 'invoke', id, name, request }));
    });
  const invoke = <C extends CommandName>(name: C, request: RequestOf<C>) =>
    invokeRaw(name, request) as Promise<Result<ResponseOf<C>>>;
  const call = async <C extends CommandName>(name: C, request: RequestOf<C>) => {
    const result = await invoke(name, request);
    if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}`);
    return result.value;
  };
  return { socket, invoke, invokeRaw, call, events, close: () => socket.close() };
}
