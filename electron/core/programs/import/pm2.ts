// A pm2 ecosystem file (https://pm2.keymetrics.io/docs/usage/application-declaration/): its `apps`,
// each with script, args, interpreter, instances, restart and memory settings.
import { isRecord, Notes, type Stack } from './notes';

const KNOWN = [
  'name',
  'script',
  'args',
  'interpreter',
  'interpreter_args',
  'cwd',
  'env',
  'instances',
  'autorestart',
  'max_restarts',
  'min_uptime',
  'restart_delay',
  'exp_backoff_restart_delay',
  'max_memory_restart',
  'kill_timeout',
  'stop_exit_codes',
  'exec_mode',
];

const UNIT_MB: Record<string, number> = { K: 1 / 1024, M: 1, G: 1024 };

/** pm2's `300M`, `1G`, `512K`, or plain bytes. */
function megabytes(value: unknown): number | undefined {
  const match = /^(\d+(?:\.\d+)?)([KMG])?$/i.exec(String(value).trim());
  if (!match) return undefined;
  const amount = Number(match[1]);
  return match[2] === undefined ? amount / (1024 * 1024) : amount * UNIT_MB[match[2].toUpperCase()]!;
}

function words(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' && value.trim() !== '' ? value.trim().split(/\s+/) : [];
}

function command(app: Record<string, unknown>): string[] {
  const script = String(app.script);
  const args = words(app.args);
  const interpreter =
    typeof app.interpreter === 'string' ? app.interpreter : /\.[cm]?js$/.test(script) ? 'node' : 'none';
  if (interpreter === 'none') return [script, ...args];
  return [interpreter, ...words(app.interpreter_args), script, ...args];
}

function program(name: string, app: Record<string, unknown>, notes: Notes): Record<string, unknown> {
  const out: Record<string, unknown> = { command: command(app) };
  if (app.cwd !== undefined) out.cwd = app.cwd;
  if (isRecord(app.env)) out.env = app.env;
  if (typeof app.instances === 'number' && app.instances > 0) out.replicas = app.instances;
  else if (app.instances !== undefined)
    notes.skip(name, 'instances', `"${String(app.instances)}" is not a count: give a number of replicas`);
  if (app.exec_mode === 'cluster' || app.exec_mode === 'cluster_mode')
    notes.skip(
      name,
      'exec_mode',
      'there is no cluster mode: the instances run as separate replicas, each needs its own port',
    );
  const restart: Record<string, unknown> = { policy: app.autorestart === false ? 'never' : 'always' };
  if (app.max_restarts !== undefined) restart.max_restarts = app.max_restarts;
  if (app.min_uptime !== undefined) restart.min_uptime = app.min_uptime;
  const backoff = app.exp_backoff_restart_delay ?? app.restart_delay;
  if (backoff !== undefined) restart.backoff = backoff;
  out.restart = restart;
  if (app.max_memory_restart !== undefined) {
    const mb = megabytes(app.max_memory_restart);
    if (mb === undefined)
      notes.skip(name, 'max_memory_restart', `"${String(app.max_memory_restart)}" is not a size`);
    else out.rss_limit = { mb };
  }
  if (app.kill_timeout !== undefined) out.stop = { grace: app.kill_timeout };
  if (app.stop_exit_codes !== undefined) out.success_exit_codes = [app.stop_exit_codes].flat();
  notes.rest(name, app, KNOWN, 'pm2');
  return out;
}

/** `source` is the ecosystem object (a JSON or YAML file's, or what a .config.js exports). */
export function fromPm2(source: unknown, notes: Notes): Stack {
  const apps = isRecord(source) ? source.apps : source;
  if (!Array.isArray(apps)) throw new Error('a pm2 ecosystem file needs an apps list');
  const stack: Stack = { programs: {} };
  apps.forEach((app: unknown, i) => {
    if (!isRecord(app)) return;
    const script = typeof app.script === 'string' ? app.script : `app${i}`;
    const name =
      typeof app.name === 'string' ? app.name : script.replace(/^.*\//, '').replace(/\.[^.]*$/, '');
    stack.programs[name] = program(name, app, notes);
  });
  if (isRecord(source)) notes.rest(null, source, ['apps'], 'pm2');
  return stack;
}
