// The commands that need no backend: `startup`/`unstartup` (a systemd user unit, checked by systemd-analyze,
// in a throwaway XDG_CONFIG_HOME) and `completion` (scripts the shells accept and complete with).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { repoRoot } from '../support/in-process-server';
import { BUILT_PROCTOR, ensureBuilt, freshSocket, proctor } from '../support/cli';

vi.setConfig({ testTimeout: 60_000 });

const socket = freshSocket();
const hasSystemdAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;

beforeAll(() => ensureBuilt(), 120_000);

describe('startup and unstartup', () => {
  it('writes a unit that systemd-analyze accepts, running this checkout headless; unstartup removes it', async () => {
    const config = mkdtempSync(join(tmpdir(), 'pcli-xdg-'));
    const env = { XDG_CONFIG_HOME: config };
    const unit = join(config, 'systemd', 'user', 'proctor.service');

    const installed = await proctor(socket, ['startup', '--no-systemctl'], env);
    expect(installed).toMatchObject({ status: 0, stderr: '' });
    expect(installed.stdout).toContain(`wrote ${unit}`);
    const text = readFileSync(unit, 'utf8');
    expect(text).toContain(`ExecStart="${process.execPath}" "${BUILT_PROCTOR}" "up"`);
    expect(text).toContain('KillMode=mixed');
    expect(text).toContain(`Environment="PROCTOR_SOCKET=${socket}"`);
    expect(readdirSync(dirname(unit))).toEqual(['proctor.service']);
    if (hasSystemdAnalyze) {
      const verified = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
      expect(verified.status, verified.stderr).toBe(0);
    }

    // The desktop app's login item: an XDG autostart entry that runs this checkout's Electron app.
    const autostart = join(config, 'autostart', 'proctor.desktop');
    expect(installed.stdout).toContain(`wrote ${autostart} (the desktop app at login)`);
    const entry = readFileSync(autostart, 'utf8');
    expect(entry).toMatch(/^\[Desktop Entry\]\nType=Application\n/);
    expect(entry).toContain(
      `Exec="${process.execPath}" "${join(repoRoot, 'node_modules', 'electron', 'cli.js')}" "${repoRoot}"`,
    );
    if (spawnSync('desktop-file-validate', ['--help']).status === 0) {
      const checked = spawnSync('desktop-file-validate', [autostart], { encoding: 'utf8' });
      expect(checked.status, checked.stdout).toBe(0);
    }

    const removed = await proctor(socket, ['unstartup', '--no-systemctl'], env);
    expect(removed.stdout).toBe(`removed ${autostart} (the desktop app at login)\nremoved ${unit}\n`);
    expect(existsSync(unit)).toBe(false);
    expect(existsSync(autostart)).toBe(false);
    expect((await proctor(socket, ['unstartup', '--no-systemctl'], env)).stdout).toMatch(
      /^no startup unit at /,
    );
  });
});

describe('completion', () => {
  it('bash completes commands, their options and argument choices', async () => {
    const script = (await proctor(socket, ['completion', 'bash'])).stdout;
    const complete = (words: string[]) =>
      spawnSync(
        'bash',
        [
          '-c',
          `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _proctor; echo "\${COMPREPLY[@]}"`,
        ],
        { encoding: 'utf8', cwd: repoRoot },
      ).stdout.trim();
    expect(complete(['proctor', 'st'])).toBe('start stop startup');
    expect(complete(['proctor', 'ps', '--'])).toBe('--json --tree --all --help');
    expect(complete(['proctor', '--socket', '/tmp/x', 'logs', '--f'])).toBe('--follow');
    expect(complete(['proctor', 'completion', ''])).toBe('bash zsh fish --help');
    expect(complete(['proctor', 'lessons', ''])).toBe('list run --help');
  });

  it('prints zsh and fish scripts that name every command', async () => {
    for (const shell of ['zsh', 'fish']) {
      const script = (await proctor(socket, ['completion', shell])).stdout;
      for (const command of ['up', 'down', 'ps', 'run', 'join', 'logs', 'lessons', 'startup', 'completion'])
        expect(script, `${shell} ${command}`).toMatch(new RegExp(`'${command}[':]`));
    }
    if (spawnSync('fish', ['--version']).status === 0) {
      const script = (await proctor(socket, ['completion', 'fish'])).stdout;
      expect(spawnSync('fish', ['-n', '-c', script]).status).toBe(0);
    }
  });

  it('refuses a shell it does not know with status 2', async () => {
    const result = await proctor(socket, ['completion', 'tcsh']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Allowed choices are bash, zsh, fish/);
  });
});
