// `proctor start|stop|restart|kill NAME…` and `proctor signal SIG NAME`: the contract's program and child
// commands by name. A program goes through `programs:*`, so its conditions and order hold.
import type { Command } from 'commander';
import type { CommandName } from '../../shared/contract';
import type { ChildInfo, ProgramInfo } from '../../shared/model';
import { SIGNAL_NAMES, type SignalName } from '../../shared/signals';
import type { SocketClient } from '../client/socket-client';
import { withBackend } from './backend';
import { CliFailure, usageError } from './failure';
import { listBoth, programStateWords, stateWords } from './ps';
import { childrenOfTargets, onlyChild, selectTargets, type Listed } from './targets';

type ChildCommand = Extract<CommandName, 'children:terminate' | 'children:kill' | 'children:restart'>;
type ProgramCommand = Extract<CommandName, 'programs:start' | 'programs:stop' | 'programs:restart'>;

interface Action {
  name: string;
  summary: string;
  command: ChildCommand;
  /** How the action reaches a program; kill has none: it kills the program's child, like a crash. */
  programs: ProgramCommand | null;
}

const ACTIONS: readonly Action[] = [
  {
    name: 'start',
    summary: 'start programs or children that are not running (a child keeps its id, like restart)',
    command: 'children:restart',
    programs: 'programs:start',
  },
  {
    name: 'stop',
    summary: 'stop programs or children: SIGTERM to the group, SIGKILL after the grace',
    command: 'children:terminate',
    programs: 'programs:stop',
  },
  {
    name: 'restart',
    summary: 'stop programs or children if they run, then start them again',
    command: 'children:restart',
    programs: 'programs:restart',
  },
  {
    name: 'kill',
    summary: "SIGKILL children (a program's child too) at once",
    command: 'children:kill',
    programs: null,
  },
];

const ALIVE = new Set<ChildInfo['state']>(['starting', 'running', 'stopping']);

function show(child: ChildInfo): string {
  return `${child.name} (${child.id}): ${stateWords(child)}${child.pid === null ? '' : `, pid ${child.pid}`}`;
}

function showProgram(program: ProgramInfo): string {
  return `${program.name}: ${programStateWords(program)}${program.pid === null ? '' : `, pid ${program.pid}`}`;
}

/** Acts on the programs at once (the orchestrator orders them), then on each child in turn; every failure
 * is reported, and any makes the command fail at the end. */
async function actOnEach(client: SocketClient, action: Action, targets: string[]): Promise<void> {
  const listed = await listBoth(client);
  const chosen = action.programs
    ? selectTargets(listed, targets)
    : { programs: [], children: childrenOfTargets(listed, targets) };
  const failures: string[] = [];
  if (action.programs && chosen.programs.length > 0) {
    const result = await client.invoke(action.programs, { names: chosen.programs });
    if (result.ok) result.value.forEach((program) => console.log(showProgram(program)));
    else failures.push(`${chosen.programs.join(', ')}: ${result.error.code}: ${result.error.message}`);
  }
  for (const child of chosen.children) {
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
      .description(`${action.summary}; NAME is a program, a child's name or id, or all`)
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
        const listed: Listed = await listBoth(client);
        const child = onlyChild(childrenOfTargets(listed, [target]), target);
        if (child.pid === null || !ALIVE.has(child.state))
          throw new CliFailure(`E_STATE: ${child.name} (${child.id}) is not running (${stateWords(child)})`);
        await client.call('processes:signal', { pid: child.pid, signal: name });
        console.log(`${name} sent to ${show(child)}`);
      });
    });
}
