// Command-line options of headless mode, with clear errors for bad ones.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { configHome } from '../client/socket-path';

export interface ServerOptions {
  host: string;
  /** 0 asks the kernel for a free port. */
  port: number;
  token: string;
  settingsFile: string;
  /** `--metrics-port`: /metrics alone on 127.0.0.1 at this port (0: any free one); null for none. */
  metricsPort: number | null;
}

const USAGE =
  'usage: proctor-serve [--port N] [--host 127.0.0.1] [--token T] [--settings FILE] [--metrics-port N]';

export function parseServerOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ServerOptions {
  const options: ServerOptions = {
    host: '127.0.0.1',
    port: 0,
    // 256 bits: far past guessing, and fresh every start unless the user pins one.
    token: randomBytes(32).toString('base64url'),
    settingsFile: join(configHome(env), 'proctor', 'settings.json'),
    metricsPort: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    if (flag === '--help' || flag === '-h') throw new Error(USAGE);
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
