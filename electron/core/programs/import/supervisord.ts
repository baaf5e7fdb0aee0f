// A supervisord .conf (http://supervisord.org/configuration.html): each [program:x] section becomes a
// program; supervisord's own sections and its logging keys have no place in a stack file.
import { constants } from 'node:os';
import { Notes, type Stack } from './notes';

type Section = { name: string; keys: Record<string, string> };

/** supervisord's INI: `;` or `#` comments, `key = value`, indented lines continue the value above. */
function sections(text: string): Section[] {
  const found: Section[] = [];
  let current: Section | null = null;
  let lastKey: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)[;#].*$/, '');
    if (line.trim() === '') continue;
    const header = /^\[(.+)\]\s*$/.exec(line.trim());
    if (header) {
      current = { name: header[1]!.trim(), keys: {} };
      found.push(current);
      lastKey = null;
    } else if (/^\s/.test(line) && current && lastKey) {
      current.keys[lastKey] += ` ${line.trim()}`;
    } else if (current) {
      const eq = line.indexOf('=');
      if (eq < 0) continue;
      lastKey = line.slice(0, eq).trim();
      current.keys[lastKey] = line.slice(eq + 1).trim();
    }
  }
  return found;
}

/** `A="1",B=two` — supervisord's environment list. */
function environment(value: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const match of value.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|'([^']*)'|[^,]*)/g)) {
    env[match[1]!] = match[3] ?? match[4] ?? match[2]!.trim();
  }
  return env;
}

const bool = (value: string): boolean => /^(true|yes|on|1)$/i.test(value);

const KNOWN = [
  'command',
  'directory',
  'environment',
  'autostart',
  'autorestart',
  'startsecs',
  'startretries',
  'exitcodes',
  'stopsignal',
  'stopwaitsecs',
  'numprocs',
  'process_name',
];

function program(name: string, keys: Record<string, string>, notes: Notes): Record<string, unknown> {
  // supervisord's own expansions, as the shell sees them: the replica number is PROCTOR_REPLICA.
  const command = keys.command
    ?.replace(/%\(process_num\)[-#0 +]*\d*[ds]/g, '$PROCTOR_REPLICA')
    .replace(/%\(program_name\)s/g, name);
  const out: Record<string, unknown> = { command };
  if (keys.directory !== undefined) out.cwd = keys.directory;
  if (keys.environment !== undefined) out.env = environment(keys.environment);
  if (keys.autostart !== undefined) out.autostart = bool(keys.autostart);
  if (keys.exitcodes !== undefined)
    out.success_exit_codes = keys.exitcodes.split(',').map((code) => Number(code.trim()));
  if (keys.numprocs !== undefined) out.replicas = Number(keys.numprocs);
  const restart: Record<string, unknown> = {};
  if (keys.autorestart !== undefined) {
    const value = keys.autorestart.toLowerCase();
    restart.policy = value === 'unexpected' ? 'on-failure' : bool(value) ? 'always' : 'never';
  } else {
    restart.policy = 'on-failure';
  }
  if (keys.startsecs !== undefined) restart.min_uptime = Number(keys.startsecs) * 1000;
  if (keys.startretries !== undefined) restart.max_restarts = Number(keys.startretries);
  out.restart = restart;
  const stop: Record<string, unknown> = {};
  if (keys.stopsignal !== undefined) {
    const signal = `SIG${keys.stopsignal.toUpperCase().replace(/^SIG/, '')}`;
    if (signal in constants.signals) stop.signal = signal;
    else notes.skip(name, 'stopsignal', `${keys.stopsignal} is not a signal name`);
  }
  if (keys.stopwaitsecs !== undefined) stop.grace = Number(keys.stopwaitsecs) * 1000;
  if (Object.keys(stop).length > 0) out.stop = stop;
  if (
    keys.process_name !== undefined &&
    keys.numprocs === undefined &&
    keys.process_name !== '%(program_name)s'
  )
    notes.skip(name, 'process_name', 'the program is named after its section');
  if (keys.priority !== undefined)
    notes.skip(name, 'priority', 'start order comes from depends_on: add the programs it needs');
  if (keys.user !== undefined) notes.skip(name, 'user', 'programs run as the user running Proctor');
  notes.rest(name, keys, [...KNOWN, 'priority', 'user'], 'supervisord');
  return out;
}

export function fromSupervisord(text: string, notes: Notes): Stack {
  const stack: Stack = { programs: {} };
  for (const section of sections(text)) {
    const match = /^program:(.+)$/.exec(section.name);
    if (match) stack.programs[match[1]!.trim()] = program(match[1]!.trim(), section.keys, notes);
    else notes.skip(null, `[${section.name}]`, 'only [program:x] sections are imported');
  }
  return stack;
}
