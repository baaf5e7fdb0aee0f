// `proctor run -- CMD ARGS…` starts an ad-hoc child; `proctor join NAME` waits for it and exits with its status.
import { Option, type Command } from 'commander';
import type { RestartPolicy, RestartPolicyName } from '../../shared/model';
import { withBackend } from './backend';
import { CliFailure, usageError } from './failure';
import { stateWords } from './ps';
import { selectChild } from './targets';

/** The start dialog's defaults for a restart policy chosen without details. */
const RESTART_DEFAULTS: Omit<RestartPolicy, 'policy'> = {
  maxRetries: 3,
  backoffMs: 1000,
  maxBackoffMs: 30_000,
};
/** What `join` exits with when the child is still running at the timeout, like timeout(1). */
export const JOIN_TIMED_OUT = 124;

interface RunOptions {
  name?: string;
  daemon?: boolean;
  restart?: RestartPolicyName;
}

/** Python's exitcode as a shell's status: n as is, killed by signal N as 128+N. */
export function shellStatus(exitcode: number): number {
  return exitcode < 0 ? 128 - exitcode : exitcode;
}

function seconds(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0)
    throw usageError(`--timeout must be a number of seconds, not ${JSON.stringify(text)}`);
  return Math.round(value * 1000);
}

export function runCommands(program: Command): void {
  program
    .command('run <command> [args...]')
    .description('start an ad-hoc child in this directory: proctor run [options] -- CMD ARGS…')
    .option('--name <name>', 'its name (default Process-N, like Python)')
    .option('--daemon', 'a daemon child: always terminated when Proctor quits')
    .addOption(
      new Option('--restart <policy>', 'restart it when it exits').choices(['never', 'on-failure', 'always']),
    )
    .passThroughOptions()
    .action((command: string, args: string[], options: RunOptions, self: Command) =>
      withBackend(self, async (client) => {
        const child = await client.call('children:start', {
          command,
          args,
          cwd: process.cwd(),
          ...(options.name !== undefined && { name: options.name }),
          ...(options.daemon && { daemon: true }),
          ...(options.restart && { restart: { policy: options.restart, ...RESTART_DEFAULTS } }),
        });
        console.log(`started ${child.name} (${child.id}), pid ${child.pid}`);
      }),
    );
  program
    .command('join <name>')
    .description('wait for a child to exit and exit with its status (128+N when a signal N killed it)')
    .option('--timeout <seconds>', `give up after this long, exiting with ${JOIN_TIMED_OUT}`)
    .action((target: string, options: { timeout?: string }, self: Command) => {
      const timeoutMs = options.timeout === undefined ? undefined : seconds(options.timeout);
      return withBackend(self, async (client) => {
        const child = selectChild(await client.call('children:list', {}), target);
        const { exitcode } = await client.call('children:join', {
          id: child.id,
          ...(timeoutMs !== undefined && { timeoutMs }),
        });
        if (exitcode === null) {
          // No exitcode: the timeout passed, or the child never ran (a failed spawn has none to give).
          const now = selectChild(await client.call('children:list', {}), child.id);
          if (now.state === 'failed' || now.state === 'fatal' || now.state === 'created')
            throw new CliFailure(`${now.name} (${now.id}) has no exit status: ${stateWords(now)}`);
          throw new CliFailure(
            `${now.name} (${now.id}) is still running after ${options.timeout} s`,
            JOIN_TIMED_OUT,
          );
        }
        process.exitCode = shellStatus(exitcode);
      });
    });
}
