// The contract over Electron IPC: one ipcMain.handle per command, straight from the contract table.
import type { IpcMain, IpcMainInvokeEvent, WebFrameMain } from 'electron';
import { commandNames, eventNames, invokeFromWire, type Backend, type Result } from '../../shared/contract';

/** Registers every command; a frame that is not our own window's main frame is refused. */
export function registerContractHandlers(
  ipc: Pick<IpcMain, 'handle' | 'removeHandler'>,
  backend: Backend,
  isTrustedFrame: (frame: WebFrameMain | null) => boolean,
): () => void {
  for (const name of commandNames) {
    ipc.handle(name, (event: IpcMainInvokeEvent, request: unknown): Promise<Result<unknown>> => {
      if (!isTrustedFrame(event.senderFrame)) {
        return Promise.resolve({
          ok: false,
          error: {
            code: 'E_EPERM',
            message: `refused ${name}: the request did not come from Proctor's own window`,
          },
        });
      }
      return invokeFromWire(backend, name, request);
    });
  }
  return () => commandNames.forEach((name) => ipc.removeHandler(name));
}

/** Pushes every event to whoever `send` reaches (the window's webContents). */
export function forwardEvents(
  backend: Backend,
  send: (channel: string, payload: unknown) => void,
): () => void {
  const offs = eventNames.map((name) => backend.on(name, (payload) => send(name, payload)));
  return () => offs.forEach((off) => off());
}
