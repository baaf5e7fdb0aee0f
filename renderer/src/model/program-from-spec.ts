// A child as the Start dialog describes it, written the way a stack file says it, for "keep as a program".
import type { ChildSpec } from '../../../shared/model';

const NAME_CHAR = /[^A-Za-z0-9_.-]+/g;

/** A stack file name for the child: its own name, else its command's, in the characters a program name allows. */
export function programNameOf(spec: ChildSpec): string {
  const base = spec.name ?? spec.command.split('/').pop() ?? spec.command;
  const name = base
    .replace(NAME_CHAR, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 63);
  return name || 'program';
}

/** The stack file's keys for the spec; what the spec leaves at its default stays out of the file. */
export function programFromSpec(spec: ChildSpec): { name: string; program: Record<string, unknown> } {
  const program: Record<string, unknown> = { command: [spec.command, ...spec.args] };
  if (spec.cwd !== undefined) program.cwd = spec.cwd;
  if (spec.env !== undefined) program.env = spec.env;
  if (spec.daemon) program.daemon = true;
  const { restart } = spec;
  if (restart !== undefined) {
    program.restart = {
      policy: restart.policy,
      max_restarts: restart.maxRetries,
      backoff: restart.backoffMs,
      max_backoff: restart.maxBackoffMs,
      ...(restart.minUptimeMs === undefined ? {} : { min_uptime: restart.minUptimeMs }),
    };
    if (restart.successExitCodes !== undefined) program.success_exit_codes = restart.successExitCodes;
  }
  if (spec.graceMs !== undefined || spec.stopSignal !== undefined) {
    program.stop = {
      ...(spec.stopSignal === undefined ? {} : { signal: spec.stopSignal }),
      ...(spec.graceMs === undefined ? {} : { grace: spec.graceMs }),
    };
  }
  return { name: programNameOf(spec), program };
}
