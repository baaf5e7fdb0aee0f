// The renderer's only door: one typed `window.api` (invoke + on), generated from the contract's tables.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isCommandName, isEventName, noSuchCommand, payloadOf, type ProctorApi } from '../../shared/contract';

const api: ProctorApi = {
  invoke(name, request) {
    if (!isCommandName(name)) return Promise.resolve(noSuchCommand(name));
    return ipcRenderer.invoke(name, request);
  },
  on(event, listener) {
    if (!isEventName(event)) return () => undefined;
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payloadOf(event, payload));
    ipcRenderer.on(event, forward);
    return () => {
      ipcRenderer.removeListener(event, forward);
    };
  },
};

contextBridge.exposeInMainWorld('api', api);
