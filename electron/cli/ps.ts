// `proctor ps`: the stack's programs and the ad-hoc children with their state and use, their families, or
// the whole machine.
import type { Command } from 'commander';
import type { ChildInfo, ProgramInfo, TreeRow } from '../../shared/model';
import type { SocketClient } from '../client/socket-client';
import { chosenSocket, withBackend, withSocket } from './backend';
import { bytes, duration, table } from './format';
import { adHoc, selectTargets, type Listed } from './targets';

interface PsOptions {
  json?: boolean;
  tree?: boolean;
  all?: boolean;
}

/** The state with what explains it: `exited 0`, `exited -15`, `failed E_SPAWN_ENOENT`. */
export function stateWords(child: ChildInfo): string {
  if (child.state === 'exited') return `exited ${child.exitcode}`;
  if (child.state === 'failed' && child.error) return `failed ${child.error.code}`;
  return child.state;
}

/** A program's state with what explains it: `exited 1`, `waiting (waiting for db to be healthy)`. */
export function programStateWords(program: ProgramInfo): string {
  const state = program.state === 'exited' ? `exited ${program.exitcode}` : program.state;
  return program.reason ? `${state} (${program.reason.text})` : state;
}

/** Both lists in one round trip: what `ps --json` prints and what NAME… is looked up in. */
export async function listBoth(client: SocketClient): Promise<Listed> {
  const [programs, children] = await Promise.all([
    client.call('programs:list', {}),
    client.call('children:list', {}),
  ]);
  return { programs, children };
}

/** The named programs (all their replicas) and children, with the children the programs run; all for none. */
function only(listed: Listed, targets: readonly string[]): Listed {
  if (targets.length === 0) return listed;
  const selected = selectTargets(listed, targets);
  const names = new Set(selected.programs);
  const programs = listed.programs.filter((p) => names.has(p.program) || names.has(p.name));
  const run = new Set(programs.map((p) => p.childId));
  const children = listed.children.filter((c) => run.has(c.id) || selected.children.includes(c));
  return { programs, children };
}

/**
 * `ps --json [NAME…]`: one JSON array for scripts (the stack's interface), each program or replica as
 * programs:list returns it, then each ad-hoc child as children:list returns it; a program's own child is
 * its program's entry, not a second one.
 */
export function printListed(socket: string, targets: readonly string[] = []): Promise<void> {
  return withSocket(socket, async (client) => {
    const listed = only(await listBoth(client), targets);
    console.log(JSON.stringify([...listed.programs, ...adHoc(listed)]));
  });
}

/** Every row under `pid`, depth first, with its depth below it. */
function descendants(
  rows: readonly TreeRow[],
  pid: number,
  depth = 1,
): Array<{ row: TreeRow; depth: number }> {
  return rows
    .filter((row) => row.ppid === pid)
    .flatMap((row) => [{ row, depth }, ...descendants(rows, row.pid, depth + 1)]);
}

/** What a line of `ps` says about a program or a child. */
interface Line {
  name: string;
  id: string;
  state: string;
  pid: number | null;
  restarts: number;
  startedAt: number | null;
  alive: boolean;
}

function lineOfChild(child: ChildInfo): Line {
  const alive = child.state === 'running' || child.state === 'stopping';
  return { ...child, state: stateWords(child), alive };
}

function lineOfProgram(program: ProgramInfo): Line {
  const alive = ['running', 'healthy', 'stopping'].includes(program.state);
  return { ...program, id: program.childId ?? '-', state: programStateWords(program), alive };
}

function lineTable(lines: readonly Line[], rows: readonly TreeRow[], tree: boolean): string {
  const byPid = new Map(rows.map((row) => [row.pid, row]));
  const now = Date.now();
  const cells = lines.flatMap((line) => {
    const row = line.pid === null ? undefined : byPid.get(line.pid);
    const own = [
      line.name,
      line.id,
      line.state,
      // A stopped child keeps its last pid in the contract; a table of what runs shows none, as supervisorctl does.
      line.alive && line.pid !== null ? String(line.pid) : '-',
      String(line.restarts),
      line.alive && line.startedAt ? duration(now - line.startedAt) : '-',
      row ? `${row.cpuPct.toFixed(1)}%` : '-',
      row ? bytes(row.rssBytes) : '-',
      '',
    ];
    if (!tree || line.pid === null || !line.alive) return [own];
    const family = descendants(rows, line.pid).map(({ row: member, depth }) => [
      `${'  '.repeat(depth)}└ ${member.name}`,
      '',
      member.state,
      String(member.pid),
      '',
      '',
      `${member.cpuPct.toFixed(1)}%`,
      bytes(member.rssBytes),
      member.cmd,
    ]);
    return [own, ...family];
  });
  return table(
    ['NAME', 'ID', 'STATE', 'PID', 'RESTARTS', 'UPTIME', 'CPU', 'MEM', tree ? 'COMMAND' : ''],
    cells,
  );
}

/** The programs, then the ad-hoc children, each under a heading when both are there. */
function listedTables(listed: Listed, rows: readonly TreeRow[], tree: boolean): string {
  const programs = listed.programs.map(lineOfProgram);
  const children = adHoc(listed).map(lineOfChild);
  if (programs.length === 0) return lineTable(children, rows, tree);
  const stack = `PROGRAMS\n${lineTable(programs, rows, tree)}`;
  return children.length === 0 ? stack : `${stack}\n\nCHILDREN\n${lineTable(children, rows, tree)}`;
}

/** The machine's tree like `ps -ejH`: roots first, children indented under their parent. */
function machineTable(rows: readonly TreeRow[]): string {
  const pids = new Set(rows.map((row) => row.pid));
  const roots = rows.filter((row) => !pids.has(row.ppid));
  const ordered = roots.flatMap((root) => [{ row: root, depth: 0 }, ...descendants(rows, root.pid)]);
  return table(
    ['PID', 'PGID', 'USER', 'CPU', 'MEM', 'MARK', 'COMMAND'],
    ordered.map(({ row, depth }) => [
      String(row.pid),
      String(row.pgid),
      row.user,
      `${row.cpuPct.toFixed(1)}%`,
      bytes(row.rssBytes),
      row.marks.supervised ? `★ ${row.marks.supervised.name}` : row.marks.zombie ? 'Z' : '',
      `${'  '.repeat(depth)}${row.cmd || `[${row.name}]`}`,
    ]),
  );
}

export function psCommand(program: Command): void {
  program
    .command('ps [name...]')
    .alias('ls')
    .description(
      "list the stack's programs and the other supervised children: name, state and its reason, pid, restarts, uptime, CPU, memory; NAME… lists only those",
    )
    .option(
      '--json',
      'print a JSON array: each program as programs:list returns it, then each ad-hoc child as children:list returns it (with --all, processes:snapshot)',
    )
    .option('--tree', "show each running program's or child's family under it")
    .option('--all', "show the whole machine's process tree, like ps -ejH")
    .action((targets: string[], options: PsOptions, command: Command) => {
      if (options.json && !options.all) return printListed(chosenSocket(command), targets);
      return withBackend(command, async (client) => {
        if (options.all) {
          const snapshot = await client.call('processes:snapshot', {});
          console.log(options.json ? JSON.stringify(snapshot) : machineTable(snapshot.rows));
          return;
        }
        const listed = only(await listBoth(client), targets);
        if (listed.programs.length === 0 && listed.children.length === 0) {
          console.log(
            'no programs and no supervised children (load a stack with `proctor up -f FILE`, or start a child with `proctor run -- CMD ARGS…`)',
          );
          return;
        }
        const { rows } = await client.call('processes:snapshot', {});
        console.log(listedTables(listed, rows, options.tree === true));
      });
    });
}
