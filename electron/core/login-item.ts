// The desktop app's login item, in plain Node: an XDG autostart entry
// ($XDG_CONFIG_HOME/autostart/proctor.desktop), which is what starts an app at login on Linux desktops
// (Electron's setLoginItemSettings does not reach it there). `proctor startup` writes it; on macOS and
// Windows the app mirrors it into the system's own login items when it starts.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { configHome } from '../../shared/xdg';
import { writeWholeSync } from './write-whole';

export function autostartPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configHome(env, homedir()), 'autostart', 'proctor.desktop');
}

/** One Exec argument as the Desktop Entry spec reads it: quoted, `"` `` ` `` `$` `\` escaped, `%` doubled. */
function execWord(word: string): string {
  return `"${word.replace(/["`$\\]/g, (c) => `\\${c}`).replace(/%/g, '%%')}"`;
}

export function desktopEntry(exec: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Proctor',
    'Comment=Process supervisor and live process-tree monitor',
    `Exec=${exec.map(execWord).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Writes the entry that starts `exec` at login (atomically), or removes it for null; answers its path. */
export function setLoginItem(exec: readonly string[] | null, env: NodeJS.ProcessEnv = process.env): string {
  const file = autostartPath(env);
  if (exec === null) {
    rmSync(file, { force: true });
    return file;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeWholeSync(file, desktopEntry(exec));
  return file;
}

export function loginItemWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return existsSync(autostartPath(env));
}
