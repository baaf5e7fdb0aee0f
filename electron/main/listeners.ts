// What the desktop app's embedded backend serves beside its window: the Unix socket (so `proctor ps`,
// `proctor stop` … drive the desktop app too) and, when Settings name a port, /metrics on 127.0.0.1.
// Plain Node: no Electron here, so it is tested without it.
import type { Logger } from '../core/log';
import type { ProctorService } from '../core/service';
import { startMetricsServer, type MetricsServer } from '../server/metrics-route';
import { listenContractSocket, type ContractSocketServer } from '../server/unix-socket';

export interface EmbeddedListeners {
  /** The socket path served, or null when another backend answered there first. */
  readonly socketPath: string | null;
  /** The metrics port served now, or null for none. */
  metricsPort(): number | null;
  close(): Promise<void>;
}

export async function serveEmbedded(
  service: ProctorService,
  socketPath: string,
  log: Logger,
): Promise<EmbeddedListeners> {
  let socket: ContractSocketServer | null = null;
  try {
    socket = await listenContractSocket(service, socketPath);
  } catch (error) {
    // Another backend won the socket since the app looked: the app still works, the command line drives that one.
    log.warn({ err: error, socketPath }, 'the embedded backend does not serve the socket');
  }
  let metrics: MetricsServer | null = null;
  let wanted = 0;
  // Settings change one at a time, and a port is closed before the next is opened.
  let moving = Promise.resolve();
  const follow = (port: number): Promise<void> => {
    if (port === wanted) return moving;
    wanted = port;
    moving = moving.then(async () => {
      await metrics?.close();
      metrics = null;
      if (port === 0 || port !== wanted) return;
      try {
        metrics = await startMetricsServer(service.metrics(), { port, token: null });
        log.info({ url: metrics.url }, 'serving metrics');
      } catch (error) {
        log.error({ err: error, port }, 'the metrics port could not be opened');
      }
    });
    return moving;
  };
  const current = await service.invoke('settings:get', {});
  if (current.ok) await follow(current.value.metricsPort);
  const off = service.on('settings:changed', (settings) => void follow(settings.metricsPort));
  return {
    socketPath: socket?.path ?? null,
    metricsPort: () => metrics?.port ?? null,
    async close() {
      off();
      await follow(0);
      await socket?.close();
    },
  };
}
