// Where the backend's Unix socket lives, so that the backend, the `proctor` command and the desktop app agree.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { configHome } from '../../shared/xdg';

/** The kernel's bound on a socket path (sun_path), less its terminating NUL. */
const MAX_SOCKET_PATH_BYTES = 107;

/** `$XDG_CONFIG_HOME`, or `~/.config`. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return configHome(env, homedir());
}

/**
 * `--socket PATH`, else `PROCTOR_SOCKET`, else `$XDG_RUNTIME_DIR/proctor/proctor.sock`, else a directory of
 * its own under the config dir (it is made 0700, so it must not be the config dir itself).
 */
export function socketPath(option?: string, env: NodeJS.ProcessEnv = process.env): string {
  const path =
    option ||
    env.PROCTOR_SOCKET ||
    (env.XDG_RUNTIME_DIR
      ? join(env.XDG_RUNTIME_DIR, 'proctor', 'proctor.sock')
      : join(configDir(env), 'proctor', 'run', 'proctor.sock'));
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES)
    throw new Error(
      `the socket path ${path} is longer than ${MAX_SOCKET_PATH_BYTES} bytes, which a Unix socket cannot have; choose a shorter one with --socket or PROCTOR_SOCKET`,
    );
  return path;
}
