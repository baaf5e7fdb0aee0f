// The desktop app's first decision: drive a backend that already answers on the socket (one started by
// `proctor up --detach` or at login), or embed its own. Plain Node, so it is tested without Electron.
import type { AppInfo } from '../../shared/model';
import { NoBackendError, connectSocket, type SocketClient } from './socket-client';

export interface AnsweringBackend {
  client: SocketClient;
  info: AppInfo;
}

/**
 * The backend answering on `path`, or null when none is: no socket file, a stale one, or a listener that
 * does not answer `app:info` within the time. Other errors (EACCES: another user's socket) are thrown.
 */
export async function probeBackend(path: string, timeoutMs = 2000): Promise<AnsweringBackend | null> {
  let client: SocketClient;
  try {
    client = await connectSocket(path, { timeoutMs });
  } catch (error) {
    if (error instanceof NoBackendError) return null;
    throw error;
  }
  const info = await appInfoWithin(client, timeoutMs);
  if (info) return { client, info };
  client.close();
  return null;
}

/** The backend's `app:info`, or null when it does not answer in time (a hung or foreign listener). */
export async function appInfoWithin(client: SocketClient, timeoutMs: number): Promise<AppInfo | null> {
  let timer: NodeJS.Timeout | undefined;
  const silent = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
  const answer = await Promise.race([client.invoke('app:info', {}), silent]);
  clearTimeout(timer);
  return answer?.ok ? answer.value : null;
}

export type BackendChoice<Embedded> =
  { kind: 'attached'; client: SocketClient; info: AppInfo } | { kind: 'embedded'; backend: Embedded };

export async function chooseBackend<Embedded>(
  path: string,
  embed: () => Promise<Embedded>,
): Promise<BackendChoice<Embedded>> {
  const answering = await probeBackend(path).catch(() => null);
  if (answering) return { kind: 'attached', ...answering };
  return { kind: 'embedded', backend: await embed() };
}
