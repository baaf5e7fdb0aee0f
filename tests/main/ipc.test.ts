// Electron main's contract wiring. The Electron runtime cannot exist here, so ipcMain is a recording
// stand-in with the same handle/removeHandler shape; the frames are plain objects compared by identity.
import type { IpcMainInvokeEvent, WebFrameMain } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { commandNames, eventNames, type Backend, type EventMap, type Result } from '../../shared/contract';
import { Listeners } from '../../shared/listeners';
import { forwardEvents, registerContractHandlers } from '../../electron/main/ipc';

type Handler = (event: IpcMainInvokeEvent, request: unknown) => Promise<Result<unknown>>;

function fakeIpc() {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    handle: vi.fn((channel: string, handler: Handler) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, handler);
    }),
    removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
  };
}

function fakeBackend() {
  const events = new Listeners<EventMap>();
  const invoke = vi.fn(async (name: unknown, payload: unknown): Promise<Result<unknown>> => ({
    ok: true,
    value: { name, payload },
  }));
  const backend: Backend & { events: Listeners<EventMap> } = {
    events,
    // The stand-in echoes what reached it, which no command's response type describes.
    invoke: invoke as unknown as Backend['invoke'],
    on: (event, listener) => events.on(event, listener),
  };
  return { backend, invoke };
}

const ownFrame = { url: 'file:///app/out/renderer/index.html' } as unknown as WebFrameMain;
const foreignFrame = { url: 'https://example.invalid/' } as unknown as WebFrameMain;
const eventFrom = (frame: WebFrameMain) => ({ senderFrame: frame }) as unknown as IpcMainInvokeEvent;

describe('registerContractHandlers', () => {
  it('registers exactly one handler per command of the contract', () => {
    const ipc = fakeIpc();
    registerContractHandlers(ipc, fakeBackend().backend, () => true);
    expect([...ipc.handlers.keys()].sort()).toEqual([...commandNames].sort());
    expect(ipc.handle).toHaveBeenCalledTimes(commandNames.length);
  });

  it('passes requests from our own window to the backend', async () => {
    const ipc = fakeIpc();
    const { backend, invoke } = fakeBackend();
    registerContractHandlers(ipc, backend, (frame) => frame === ownFrame);
    const result = await ipc.handlers.get('children:join')!(eventFrom(ownFrame), { id: 'c1' });
    expect(invoke).toHaveBeenCalledWith('children:join', { id: 'c1' });
    expect(result).toEqual({ ok: true, value: { name: 'children:join', payload: { id: 'c1' } } });
  });

  it('refuses a foreign frame without reaching the backend', async () => {
    const ipc = fakeIpc();
    const { backend, invoke } = fakeBackend();
    registerContractHandlers(ipc, backend, (frame) => frame === ownFrame);
    const result = await ipc.handlers.get('children:start')!(eventFrom(foreignFrame), { command: 'rm' });
    expect(invoke).not.toHaveBeenCalled();
    expect(result).toMatchObject({ ok: false, error: { code: 'E_EPERM' } });
  });

  it('removes every handler it registered', () => {
    const ipc = fakeIpc();
    registerContractHandlers(ipc, fakeBackend().backend, () => true)();
    expect(ipc.handlers.size).toBe(0);
  });
});

describe('forwardEvents', () => {
  it('sends every event of the contract under its own name until unsubscribed', () => {
    const { backend } = fakeBackend();
    const sent: Array<[string, unknown]> = [];
    const off = forwardEvents(backend, (channel, payload) => sent.push([channel, payload]));
    for (const name of eventNames) backend.events.emit(name, { probe: name } as never);
    expect(sent.map(([channel]) => channel)).toEqual([...eventNames]);
    off();
    backend.events.emit('child:state', {} as never);
    expect(sent).toHaveLength(eventNames.length);
  });
});
