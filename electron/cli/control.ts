// `proctor start|stop|restart|kill NAME…` and `proctor signal SIG NAME`: the contract's child commands by name.
import type { Command } from 'commander';
import type { CommandName } from '../../shared/contract';
import type { ChildInfo } from '../../shared/model';
import { SIGNAL_NAMES, type SignalName } from '../../shared/signals';
import type { SocketClient } from '../client/socket-client';
import { withBackend } from './backend';
import { CliFailure, usageError } from './failure';
import { stateWords } from './ps';
import { selectChild, selectChildren } from './targets';

type ChildCommand = Extract<CommandName, 'children:terminate' | 'children:kill' | 'children:restart'>;

const ACTIONS: ReadonlyArray<{ name: string; summary: string; command: ChildCommand }> = [
  {
    name: 'start',
    summary: 'start children that are not running (same id, like restart)',
    command: 'children:restart',
  },
  {
    name: 'stop',
    summary: 'terminate children: SIGTERM to the group, SIGKILL after the grace',
    command: 'children:terminate',
  },
  {
    name: 'restart',
    summary: 'stop children if they run, then start them again',
    command: 'children:restart',
  },
  { name: 'kill', summary: 'SIGKILL children at once', command: 'children:kill' },
];

const ALIVE = new Set<ChildInfo['state']>(['starting', 'running', 'stopping']);

function show(child: ChildInfo): string {
  return `${child.name} (${child.id}): ${stateWords(child)}${child.pid === null ? '' : `, pid ${child.pid}`}`;
}

/** Acts on each child in turn; every failure is reported, and any makes the command fail at the end. */
async function actOnEach(
  client: SocketClient,
  action: (typeof ACTIONS)[number],
  targets: string[],
): Promise<void> {
  const chosen = selectChildren(await client.call('children:list', {}), targets);
  const failures: string[] = [];
  for (const child of chosen) {
    if (action.name === 'start' && ALIVE.has(child.state)) {
      console.log(`${show(child)} (already running)`);
      continue;
    }
    const result = await client.invoke(action.command, { id: child.id });
    if (result.ok) console.log(show(result.value));
    else failures.push(`${child.name} (${child.id}): ${result.error.code}: ${result.error.message}`);
  }
  if (failures.length > 0) throw new CliFailure(failures.join('\nproctor: '));
}

/** `TERM`, `sigterm` and `SIGTERM` all name SIGTERM. */
export function signalName(text: string): SignalName {
  const upper = text.toUpperCase();
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  const known = SIGNAL_NAMES.find((signal) => signal === name);
  if (!known)
    throw usageError(`unknown signal ${JSON.stringify(text)}; use a name such as TERM, HUP, USR1 or KILL`);
  return known;
}

export function controlCommands(program: Command): void {
  for (const action of ACTIONS) {
    program
      .command(`${action.name} <name...>`)
      .description(`${action.summary}; NAME is a name, an id, or all`)
      .action((targets: string[], _options: object, command: Command) =>
        withBackend(command, (client) => actOnEach(client, action, targets)),
      );
  }
  program
    .command('signal <signal> <name>')
    .description("send a signal (TERM, HUP, USR1, …) to a child's process")
    .action((signal: string, target: string, _options: object, command: Command) => {
      const name = signalName(signal);
      return withBackend(command, async (client) => {
        const child = selectChild(await client.call('children:list', {}), target);
        if (child.pid === null || !ALIVE.has(child.state))
          throw new CliFailure(`E_STATE: ${child.name} (${child.id}) is not running (${stateWords(child)})`);
        await client.call('processes:signal', { pid: child.pid, signal: name });
        console.log(`${name} sent to ${show(child)}`);
      });
    });
}
