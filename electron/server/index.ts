// `npm run serve`: Proctor without a display. Prints one line with the URL (token included) and serves
// until SIGINT/SIGTERM, which stop the children by the quit policy (join with a limit, then terminate).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { version } from '../../package.json';
import { appPaths } from '../core/app-paths';
import { createLessons } from '../core/lessons';
import { createLogger, defaultLogFile } from '../core/log';
import { ProctorService } from '../core/service';
import { startMetricsServer, type MetricsServer } from './metrics-route';
import { isLoopback, parseServerOptions, type ServerOptions } from './options';
import { startHeadlessServer } from './server';

async function main(): Promise<void> {
  let options: ServerOptions;
  try {
    options = parseServerOptions(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  if (!isLoopback(options.host)) {
    console.warn(
      `warning: --host ${options.host} makes Proctor reachable from other machines; anyone with the token can run programs as you`,
    );
  }
  const paths = appPaths(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'));
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
        token: options.token,
      });
    } catch (error) {
      console.error(`--metrics-port ${options.metricsPort}: ${(error as Error).message}`);
      process.exit(2);
    }
  }
  await service.start();
  const server = await startHeadlessServer(service, {
    ...options,
    rendererRoot: paths.renderer,
    metrics: service.metrics(),
  });
  console.log(`Proctor headless at ${server.url}`);
  if (metricsServer) console.log(`Proctor metrics at ${metricsServer.url}`);

  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.error(`${signal}: stopping supervised children…`);
    await service.shutdown('join');
    await server.close();
    await metricsServer?.close();
    process.exit(0);
  };
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));
}

void main();
