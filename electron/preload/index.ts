// The renderer's only door: one typed `window.api` (invoke + on), generated from the contract's tables.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isCommandName, isEventName, type ProctorApi, type Result } from '../../shared/contract';

const api: ProctorApi = {
  invoke(name, request) {
    if (!isCommandName(name)) {
      const refused: Result<never> = {
        ok: false,
        error: { code: 'E_NO_SUCH_CHANNEL', message: `there is no command named ${String(name)}` },
      };
      return Promise.resolve(refused);
    }
    return ipcRenderer.invoke(name, request);
  },
  on(event, listener) {
    if (!isEventName(event)) return () => undefined;
    const forward = (_event: IpcRendererEvent, payload: unknown) =>
      listener(payload as Parameters<typeof listener>[0]);
    ipcRenderer.on(event, forward);
    return () => {
      ipcRenderer.removeListener(event, forward);
    };
  },
};

contextBridge.exposeInMainWorld('api', api);
