// The XDG base directories, stated once for every layer: the backend's state and autostart entry and the
// command line's socket and settings. Plain strings, so the thin client needs nothing from the backend.

/** The variables it reads, as `process.env` has them. */
export type XdgEnv = Readonly<Record<string, string | undefined>>;

/**
 * `$XDG_CONFIG_HOME` or `$XDG_STATE_HOME`, else its default under `home`. The spec says a relative value
 * is invalid and must be ignored.
 */
function baseDir(env: XdgEnv, variable: string, home: string, fallback: string): string {
  const value = env[variable];
  return value?.startsWith('/') ? value : `${home}/${fallback}`;
}

export const configHome = (env: XdgEnv, home: string): string =>
  baseDir(env, 'XDG_CONFIG_HOME', home, '.config');

export const stateHome = (env: XdgEnv, home: string): string =>
  baseDir(env, 'XDG_STATE_HOME', home, '.local/state');
