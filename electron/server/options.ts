// Command-line options of headless mode, with clear errors for bad ones.
import { join } from 'node:path';
import { configDir } from '../client/socket-path';

export interface ServerOptions {
  host: string;
  /** 0 asks the kernel for a free port every start; null (the default) keeps the last run's port. */
  port: number | null;
  /** `--token`: this one; null (the default) keeps the last run's token, or makes one the first time. */
  token: string | null;
  /** `--new-token`: make a fresh token and keep that one from now on. */
  newToken: boolean;
  settingsFile: string;
  /** `--metrics-port`: /metrics alone on 127.0.0.1 at this port (0: any free one); null for none. */
  metricsPort: number | null;
}

const USAGE =
  'usage: proctor-serve [--port N] [--host 127.0.0.1] [--token T | --new-token] [--settings FILE] [--metrics-port N]\n' +
  'The port and token stay the same across restarts (kept beside the settings); --port 0 takes a new port every\n' +
  'start, --new-token replaces the kept token.';

export function parseServerOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ServerOptions {
  const options: ServerOptions = {
    host: '127.0.0.1',
    port: null,
    token: null,
    newToken: false,
    settingsFile: join(configDir(env), 'proctor', 'settings.json'),
    metricsPort: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    if (flag === '--help' || flag === '-h') throw new Error(USAGE);
    if (flag === '--new-token') {
      options.newToken = true;
      continue;
    }
    if (!['--port', '--host', '--token', '--settings', '--metrics-port'].includes(flag))
      throw new Error(`unknown option ${flag}\n${USAGE}`);
    if (value === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
    i++;
    if (flag === '--port') options.port = parsePort(flag, value);
    else if (flag === '--metrics-port') options.metricsPort = parsePort(flag, value);
    else if (flag === '--host') options.host = value;
    else if (flag === '--token') {
      if (value.length < 16) throw new Error('--token must be at least 16 characters');
      options.token = value;
    } else options.settingsFile = value;
  }
  if (options.newToken && options.token !== null)
    throw new Error(`--token and --new-token exclude each other\n${USAGE}`);
  return options;
}

function parsePort(flag: string, value: string): number {
  const port = Number(value);
  if (value.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`${flag} must be 0..65535, not ${value}`);
  return port;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
