// `proctor ps`: the supervised children with their state and use, their families, or the whole machine.
import type { Command } from 'commander';
import type { ChildInfo, TreeRow } from '../../shared/model';
import { withBackend } from './backend';
import { bytes, duration, table } from './format';

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

function childrenTable(children: readonly ChildInfo[], rows: readonly TreeRow[], tree: boolean): string {
  const byPid = new Map(rows.map((row) => [row.pid, row]));
  const now = Date.now();
  const lines = children.flatMap((child) => {
    const row = child.pid === null ? undefined : byPid.get(child.pid);
    const alive = child.state === 'running' || child.state === 'stopping';
    const own = [
      child.name,
      child.id,
      stateWords(child),
      child.pid === null ? '-' : String(child.pid),
      String(child.restarts),
      alive && child.startedAt ? duration(now - child.startedAt) : '-',
      row ? `${row.cpuPct.toFixed(1)}%` : '-',
      row ? bytes(row.rssBytes) : '-',
      '',
    ];
    if (!tree || child.pid === null || !alive) return [own];
    const family = descendants(rows, child.pid).map(({ row: member, depth }) => [
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
    lines,
  );
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
    .command('ps')
    .alias('ls')
    .description(
      'list the supervised children: name, state and its reason, pid, restarts, uptime, CPU, memory',
    )
    .option(
      '--json',
      'print exactly what the contract returns (children:list; with --all, processes:snapshot)',
    )
    .option('--tree', "show each running child's family under it")
    .option('--all', "show the whole machine's process tree, like ps -ejH")
    .action((options: PsOptions, command: Command) =>
      withBackend(command, async (client) => {
        if (options.all) {
          const snapshot = await client.call('processes:snapshot', {});
          console.log(options.json ? JSON.stringify(snapshot) : machineTable(snapshot.rows));
          return;
        }
        const children = await client.call('children:list', {});
        if (options.json) {
          console.log(JSON.stringify(children));
          return;
        }
        if (children.length === 0) {
          console.log('no supervised children (start one with `proctor run -- CMD ARGS…`)');
          return;
        }
        const { rows } = await client.call('processes:snapshot', {});
        console.log(childrenTable(children, rows, options.tree === true));
      }),
    );
}
