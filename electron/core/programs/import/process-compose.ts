// process-compose.yaml (https://f1bonacc1.github.io/process-compose/) as a stack file: its conditions,
// probes, availability and shutdown map one to one; the rest is listed as not imported.
import { constants } from 'node:os';
import { isRecord, Notes, type Stack } from './notes';

const TOOL = 'process-compose';

const CONDITIONS: Record<string, string> = {
  process_started: 'started',
  process_healthy: 'healthy',
  process_log_ready: 'log_ready',
  process_completed: 'completed',
  process_completed_successfully: 'completed_successfully',
};

const RESTART: Record<string, string> = { no: 'never', on_failure: 'on-failure', always: 'always' };

const seconds = (value: unknown): number | undefined =>
  typeof value === 'number' ? Math.round(value * 1000) : undefined;

function signalName(value: unknown): string | undefined {
  if (typeof value === 'string') return value.startsWith('SIG') ? value : `SIG${value}`;
  if (typeof value !== 'number') return undefined;
  return Object.entries(constants.signals).find(([, number]) => number === value)?.[0];
}

function probe(
  source: unknown,
  name: string,
  key: string,
  notes: Notes,
): Record<string, unknown> | undefined {
  if (!isRecord(source)) return undefined;
  const out: Record<string, unknown> = {};
  if (isRecord(source.exec)) out.exec = { command: source.exec.command };
  if (isRecord(source.http_get)) {
    const { scheme = 'http', host = '127.0.0.1', port, path = '/' } = source.http_get;
    out.http_get = {
      url: `${String(scheme)}://${String(host)}${port === undefined ? '' : `:${String(port)}`}${String(path)}`,
    };
  }
  const timing: Array<[string, string]> = [
    ['initial_delay_seconds', 'initial_delay'],
    ['period_seconds', 'period'],
    ['timeout_seconds', 'timeout'],
  ];
  for (const [from, to] of timing) if (source[from] !== undefined) out[to] = seconds(source[from]);
  for (const key of ['success_threshold', 'failure_threshold'])
    if (source[key] !== undefined) out[key] = source[key];
  notes.rest(
    name,
    source,
    ['exec', 'http_get', ...timing.map(([from]) => from), 'success_threshold', 'failure_threshold'],
    TOOL,
    key,
  );
  return out;
}

function program(name: string, source: Record<string, unknown>, notes: Notes): Record<string, unknown> {
  const out: Record<string, unknown> = { command: source.command };
  if (source.working_dir !== undefined) out.cwd = source.working_dir;
  if (source.environment !== undefined) out.env = source.environment;
  if (source.env_file !== undefined) out.env_file = source.env_file;
  if (source.disabled !== undefined) out.disabled = source.disabled;
  if (source.replicas !== undefined) out.replicas = source.replicas;
  if (source.ready_log_line !== undefined) out.ready_log_line = source.ready_log_line;
  if (source.success_exit_codes !== undefined) out.success_exit_codes = source.success_exit_codes;
  if (isRecord(source.depends_on)) {
    out.depends_on = Object.fromEntries(
      Object.entries(source.depends_on).map(([dep, value]) => {
        const condition = isRecord(value) ? String(value.condition ?? 'process_started') : 'process_started';
        return [dep, { condition: CONDITIONS[condition] ?? condition }];
      }),
    );
  }
  const readiness = probe(source.readiness_probe, name, 'readiness_probe', notes);
  if (readiness) out.readiness_probe = readiness;
  const liveness = probe(source.liveness_probe, name, 'liveness_probe', notes);
  if (liveness) out.liveness_probe = liveness;
  if (isRecord(source.availability)) {
    const { restart, backoff_seconds: backoff, max_restarts: max } = source.availability;
    const policy = typeof restart === 'string' ? RESTART[restart] : undefined;
    if (restart !== undefined && policy === undefined)
      notes.skip(
        name,
        'availability.restart',
        `"${String(restart)}" has no Proctor policy (never, on-failure, always)`,
      );
    out.restart = {
      ...(policy && { policy }),
      ...(backoff !== undefined && { backoff: seconds(backoff) }),
      ...(max !== undefined && { max_restarts: max }),
    };
    notes.rest(
      name,
      source.availability,
      ['restart', 'backoff_seconds', 'max_restarts'],
      TOOL,
      'availability',
    );
  }
  if (isRecord(source.shutdown)) {
    const { signal, timeout_seconds: timeout, command } = source.shutdown;
    out.stop = {
      ...(signal !== undefined && { signal: signalName(signal) }),
      ...(timeout !== undefined && { grace: seconds(timeout) }),
      ...(command !== undefined && { command }),
    };
    notes.rest(name, source.shutdown, ['signal', 'timeout_seconds', 'command'], TOOL, 'shutdown');
  }
  if (source.is_daemon === true)
    notes.skip(
      name,
      'is_daemon',
      'a program that forks into the background cannot be supervised; run it in the foreground',
    );
  notes.rest(
    name,
    source,
    [
      'command',
      'working_dir',
      'environment',
      'env_file',
      'disabled',
      'replicas',
      'ready_log_line',
      'success_exit_codes',
      'depends_on',
      'readiness_probe',
      'liveness_probe',
      'availability',
      'shutdown',
      'is_daemon',
    ],
    TOOL,
  );
  return out;
}

export function fromProcessCompose(source: unknown, notes: Notes): Stack {
  if (!isRecord(source) || !isRecord(source.processes))
    throw new Error('a process-compose file needs a processes map');
  const stack: Stack = { programs: {} };
  if (source.environment !== undefined) stack.environment = source.environment;
  if (source.ordered_shutdown !== undefined) stack.ordered_shutdown = source.ordered_shutdown;
  for (const [name, value] of Object.entries(source.processes)) {
    if (isRecord(value)) stack.programs[name] = program(name, value, notes);
  }
  notes.rest(null, source, ['version', 'environment', 'ordered_shutdown', 'processes'], TOOL);
  return stack;
}
