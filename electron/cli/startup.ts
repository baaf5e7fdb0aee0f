// `proctor startup` / `proctor unstartup`: a systemd user unit that runs the headless backend at login,
// like `pm2 startup`. The unit is checked with systemd-analyze before it is kept: a bad one is never left.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { configDir } from '../client/socket-path';
import { loginItemWanted, setLoginItem } from '../core/login-item';
import type { GlobalOptions } from './backend';
import { CliFailure } from './failure';
import type { CliContext } from './up';

export const UNIT_NAME = 'proctor.service';

export function unitPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'systemd', 'user', UNIT_NAME);
}

/** One ExecStart word, quoted the way systemd reads it (`$` and `%` are its own expansions). */
function systemdWord(word: string): string {
  return `"${word
    .replace(/[\\"]/g, (c) => `\\${c}`)
    .replace(/\n/g, '\\n')
    .replace(/\$/g, '$$$$')
    .replace(/%/g, '%%')}"`;
}

export function unitText(context: CliContext, socket: string | undefined): string {
  const exec = [process.execPath, join(context.root, 'out', 'main', 'proctor.js'), 'up']
    .map(systemdWord)
    .join(' ');
  return [
    '[Unit]',
    'Description=Proctor process supervisor (headless backend)',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${exec}`,
    ...(socket ? [`Environment=${systemdWord(`PROCTOR_SOCKET=${socket}`)}`] : []),
    // Only Proctor gets SIGTERM, so it stops its children by its quit policy; the rest get SIGKILL after.
    'KillMode=mixed',
    'TimeoutStopSec=60',
    'Restart=on-failure',
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

/** The desktop app of this checkout: Electron's launcher run by this Node, on the checkout. */
export function desktopCommand(context: CliContext): string[] {
  return [process.execPath, join(context.root, 'node_modules', 'electron', 'cli.js'), context.root];
}

function has(tool: string): boolean {
  return spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** systemd-analyze's verdict on the unit; it prints problems about the file even when it exits 0. */
function verify(file: string): string | null {
  const result = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
  const problems = `${result.stdout}${result.stderr}`
    .split('\n')
    .filter((line) => line.includes(file))
    .join('\n');
  return result.status === 0 && problems === ''
    ? null
    : problems || `systemd-analyze exited ${result.status}`;
}

function systemctl(...args: string[]): boolean {
  return spawnSync('systemctl', ['--user', ...args], { stdio: 'inherit' }).status === 0;
}

export function startupCommands(program: Command, context: CliContext): void {
  program
    .command('startup')
    .description(
      "start Proctor at login: a systemd user unit for the headless backend, and the desktop app's login item (it attaches to that backend)",
    )
    .option('--no-systemctl', 'only write the unit; do not run systemctl')
    .option('--no-desktop', "leave the desktop app's login item as it is")
    .action((options: { systemctl: boolean; desktop: boolean }, command: Command) => {
      const file = unitPath();
      const socket = command.optsWithGlobals<GlobalOptions>().socket;
      mkdirSync(dirname(file), { recursive: true });
      // Written beside the unit (under its own name, which systemd reads its type from), checked, then
      // renamed over it: a unit that fails the check is never left.
      const drafts = mkdtempSync(join(dirname(file), '.proctor-'));
      const draft = join(drafts, UNIT_NAME);
      try {
        writeFileSync(draft, unitText(context, socket));
        const problems = has('systemd-analyze') ? verify(draft) : null;
        if (problems !== null)
          throw new CliFailure(`the unit did not pass systemd-analyze verify:\n${problems}`);
        renameSync(draft, file);
      } finally {
        rmSync(drafts, { recursive: true, force: true });
      }
      console.log(`wrote ${file}`);
      if (options.desktop)
        console.log(`wrote ${setLoginItem(desktopCommand(context))} (the desktop app at login)`);
      const enable = 'systemctl --user daemon-reload && systemctl --user enable --now proctor.service';
      if (!options.systemctl) console.log(`enable it with: ${enable}`);
      else if (has('systemctl') && systemctl('daemon-reload') && systemctl('enable', '--now', UNIT_NAME))
        console.log('enabled: Proctor starts at login; `proctor ps` talks to it');
      else throw new CliFailure(`the unit is written but systemctl could not enable it; try: ${enable}`);
    });
  program
    .command('unstartup')
    .description(
      "stop starting Proctor at login: disables and removes the systemd user unit and the desktop app's login item",
    )
    .option('--no-systemctl', 'only remove the unit; do not run systemctl')
    .option('--no-desktop', "leave the desktop app's login item as it is")
    .action((options: { systemctl: boolean; desktop: boolean }) => {
      if (options.desktop && loginItemWanted())
        console.log(`removed ${setLoginItem(null)} (the desktop app at login)`);
      const file = unitPath();
      if (!existsSync(file)) {
        console.log(`no startup unit at ${file}`);
        return;
      }
      if (options.systemctl && has('systemctl')) systemctl('disable', '--now', UNIT_NAME);
      rmSync(file);
      console.log(`removed ${file}`);
    });
}
