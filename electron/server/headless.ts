// Headless mode's run: one ProctorService behind the HTTP/WebSocket server and, when asked, the Unix socket.
// `npm run serve` and `proctor up` both run it; SIGINT/SIGTERM stop the children by the quit policy.
import { version } from '../../package.json';
import { appPaths } from '../core/app-paths';
import { createLessons } from '../core/lessons';
import { createLogger, defaultLogFile } from '../core/log';
import { ProctorService } from '../core/service';
import { startMetricsServer, type MetricsServer } from './metrics-route';
import { isLoopback, type ServerOptions } from './options';
import { freshToken, readRemembered, rememberedFile, writeRemembered } from './remembered';
import { startHeadlessServer, type HeadlessServer } from './server';
import { listenContractSocket } from './unix-socket';

export interface HeadlessOptions extends ServerOptions {
  /** The checkout or install: the built renderer and the lessons are found from it. */
  root: string;
  /** Where to serve the contract over a Unix socket; null for none. */
  socketPath: string | null;
  /** A stack file to load once the socket is ours (`proctor up -f`); an invalid one ends the run with 1. */
  stackFile?: string | null;
}

/**
 * The port and token this run serves with: the ones given, else the last run's (so an open tab
 * reconnects after a restart), else a free port and a fresh token.
 */
function addressOf(options: HeadlessOptions): { port: number; token: string; keep: (port: number) => void } {
  const file = rememberedFile(options.settingsFile);
  const last = readRemembered(file);
  const token = options.token ?? (options.newToken ? null : last.token) ?? freshToken();
  return {
    port: options.port ?? last.port ?? 0,
    token,
    // `--port 0` asks for a new port every start, so its port is not kept (the one kept before stays).
    keep: (port) => {
      try {
        writeRemembered(file, { port: options.port === 0 ? last.port : port, token });
      } catch (error) {
        // Serving goes on; only the next restart will have a new address.
        console.warn(`warning: could not keep the port and token in ${file}: ${(error as Error).message}`);
      }
    },
  };
}

/** Listens on the kept port; when something else took it meanwhile, on a free one (and says so). */
async function listenKept(
  service: ProctorService,
  settings: Parameters<typeof startHeadlessServer>[1],
  kept: boolean,
): Promise<HeadlessServer> {
  try {
    return await startHeadlessServer(service, settings);
  } catch (error) {
    if (!kept || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    console.warn(
      `warning: port ${settings.port} from the last run is in use; serving on a free port instead`,
    );
    return startHeadlessServer(service, { ...settings, port: 0 });
  }
}

/** Serves until a signal stops it; a socket another backend answers on ends it with exit status 1. */
export async function runHeadless(options: HeadlessOptions): Promise<void> {
  if (!isLoopback(options.host)) {
    console.warn(
      `warning: --host ${options.host} makes Proctor reachable from other machines; anyone with the token can run programs as you`,
    );
  }
  const paths = appPaths(options.root);
  const address = addressOf(options);
  const service = new ProctorService({
    version,
    transport: 'websocket',
    settingsFile: options.settingsFile,
    log: createLogger({ file: defaultLogFile(), stderr: true }),
    lessons: (service) => createLessons(service, { dir: paths.lessons }),
  });
  // Bound before anything runs, so a port in use stops the start with nothing to undo.
  let metricsServer: MetricsServer | null = null;
  if (options.metricsPort !== null) {
    try {
      metricsServer = await startMetricsServer(service.metrics(), {
        port: options.metricsPort,
        token: address.token,
      });
    } catch (error) {
      console.error(`--metrics-port ${options.metricsPort}: ${(error as Error).message}`);
      process.exit(2);
    }
  }
  await service.start();
  let socket;
  try {
    socket = options.socketPath ? await listenContractSocket(service, options.socketPath) : null;
  } catch (error) {
    console.error(`proctor: ${(error as Error).message}`);
    await service.shutdown('terminate');
    process.exit(1);
  }
  if (options.stackFile) {
    const loaded = await service.invoke('programs:load', { file: options.stackFile });
    if (!loaded.ok) {
      console.error(`proctor: ${loaded.error.code}: ${loaded.error.message}`);
      await socket?.close();
      await service.shutdown('terminate');
      process.exit(1);
    }
  }
  const server = await listenKept(
    service,
    {
      host: options.host,
      port: address.port,
      token: address.token,
      rendererRoot: paths.renderer,
      metrics: service.metrics(),
    },
    options.port === null,
  );
  address.keep(server.port);
  console.log(`Proctor headless at ${server.url}`);
  if (socket) console.log(`Proctor socket at ${socket.path}`);
  if (metricsServer) console.log(`Proctor metrics at ${metricsServer.url}`);

  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.error(`${signal}: stopping supervised children…`);
    // The socket goes first, so a `proctor down` waiting for it to stop answering sees the stop begin.
    await socket?.close();
    await service.shutdown('join');
    await server.close();
    await metricsServer?.close();
    process.exit(0);
  };
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));
}
