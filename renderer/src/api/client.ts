// The one api client the window uses. Inside Electron the preload's `window.api` carries it; in a
// browser (headless mode) a WebSocket to the server does. Either way `invoke` never throws: a transport
// failure is answered like any other error, so components only ever handle `Result`.
import { shallowRef, type ShallowRef } from 'vue';
import {
  isEventName,
  payloadOf,
  resultOf,
  type CommandName,
  type EventMap,
  type ProctorApi,
  type RequestOf,
  type ResponseOf,
  type Result,
} from '../../../shared/contract';
import { messageOf } from '../../../shared/errors';
import { Listeners } from '../../../shared/listeners';
import { WS_CLOSE_UNAUTHORIZED, WS_PATH, type InvokeFrame, type ServerFrame } from '../../../shared/wire';
import { LOCAL_MACHINE_ID, socketUrl, type Machine } from './machines';

export type TransportKind = 'ipc' | 'websocket';
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'unauthorized';

export interface ProctorClient extends ProctorApi {
  readonly transport: TransportKind;
  readonly connection: Readonly<ShallowRef<ConnectionState>>;
  /** Called after the transport came back from a drop: whatever was pushed meanwhile is lost. */
  onReconnect(listener: () => void): () => void;
}

const TOKEN_KEY = 'proctor.token';
const INVOKE_WAIT_MS = 15_000;
const BACKOFF_FIRST_MS = 250;
const BACKOFF_MAX_MS = 5_000;

export function transportFailure<T>(message: string): Result<T> {
  return { ok: false, error: { code: 'E_INTERNAL', message } };
}

/** The backend could not be reached: said as such, so the user knows nothing was done and why. */
function disconnected<T>(message: string): Result<T> {
  return { ok: false, error: { code: 'E_DISCONNECTED', message } };
}

function ipcClient(api: ProctorApi): ProctorClient {
  return {
    transport: 'ipc',
    connection: shallowRef<ConnectionState>('open'),
    onReconnect: () => () => undefined,
    async invoke(name, request) {
      try {
        return await api.invoke(name, request);
      } catch (error) {
        return transportFailure(messageOf(error));
      }
    },
    on: (event, listener) => api.on(event, listener),
  };
}

/** The token arrives once in the page URL; keep it for reloads and take it out of the address bar. */
export function takeToken(): string {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function webSocketClient(url: string): ProctorClient {
  const hub = new Listeners<EventMap>();
  const reconnectListeners = new Set<() => void>();
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const connection = shallowRef<ConnectionState>('connecting');
  const opened = new Set<() => void>();
  let socket: WebSocket | null = null;
  let nextId = 1;
  let backoffMs = BACKOFF_FIRST_MS;
  let everOpened = false;

  function connect(): void {
    const ws = new WebSocket(url);
    socket = ws;
    ws.addEventListener('open', () => {
      connection.value = 'open';
      backoffMs = BACKOFF_FIRST_MS;
      for (const resume of opened) resume();
      opened.clear();
      if (everOpened) for (const listener of reconnectListeners) listener();
      everOpened = true;
    });
    ws.addEventListener('message', (message: MessageEvent<string>) => {
      const frame = JSON.parse(message.data) as ServerFrame;
      if (frame.kind === 'result') {
        pending.get(frame.id)?.(frame.result);
        pending.delete(frame.id);
      } else {
        if (isEventName(frame.name)) hub.emit(frame.name, payloadOf(frame.name, frame.payload));
      }
    });
    ws.addEventListener('close', (event) => {
      for (const settle of pending.values()) settle(disconnected('the connection to Proctor was lost'));
      pending.clear();
      connection.value = event.code === WS_CLOSE_UNAUTHORIZED ? 'unauthorized' : 'reconnecting';
      // A wrong token stays wrong: try again rarely instead of hammering the server.
      const delay = event.code === WS_CLOSE_UNAUTHORIZED ? BACKOFF_MAX_MS : backoffMs;
      backoffMs = Math.min(backoffMs * 2, BACKOFF_MAX_MS);
      setTimeout(connect, delay * (0.75 + Math.random() / 2));
    });
  }

  function whenOpen(): Promise<boolean> {
    if (socket?.readyState === WebSocket.OPEN) return Promise.resolve(true);
    return new Promise((resolve) => {
      const resume = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        opened.delete(resume);
        resolve(false);
      }, INVOKE_WAIT_MS);
      opened.add(resume);
    });
  }

  connect();

  return {
    transport: 'websocket',
    connection,
    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
    async invoke<C extends CommandName>(name: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
      if (!(await whenOpen()) || !socket) return disconnected('Proctor is not reachable');
      const id = nextId++;
      const frame: InvokeFrame = { kind: 'invoke', id, name, request };
      const live = socket;
      return new Promise((resolve) => {
        pending.set(id, (result) => resolve(resultOf(name, result)));
        try {
          live.send(JSON.stringify(frame));
        } catch (error) {
          pending.delete(id);
          resolve(transportFailure(messageOf(error)));
        }
      });
    },
    on: (event, listener) => hub.on(event, listener),
  };
}

/** The backend that served the page (or Electron's own), unless this tab was switched to another machine. */
export function createClient(machine: Machine): ProctorClient {
  if (machine.id !== LOCAL_MACHINE_ID) return webSocketClient(socketUrl(machine.url, machine.token));
  const preload = (window as Window & { api?: ProctorApi }).api;
  if (preload) return ipcClient(preload);
  const token = encodeURIComponent(takeToken());
  return webSocketClient(
    `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_PATH}?token=${token}`,
  );
}
