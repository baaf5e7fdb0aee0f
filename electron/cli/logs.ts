// `proctor logs`: the children's output, merged by time, each line under its child's name; `-f` follows.
import type { Command } from 'commander';
import type { ChildInfo, OutputLine } from '../../shared/model';
import type { SocketClient } from '../client/socket-client';
import { withBackend } from './backend';
import { CliFailure, usageError } from './failure';
import { colourByName, colourWanted } from './format';
import { selectChildren } from './targets';

interface LogsOptions {
  follow?: boolean;
  lines?: string;
  since?: string;
  grep?: string;
}

/** The contract's page size for `children:output`. */
const PAGE = 10_000;
const UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `5m`, `2h`, `1d` ago, or a date and time `Date` understands. */
export function sinceTime(text: string, now = Date.now()): number {
  const relative = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (relative) return now - Number(relative[1]) * UNITS_MS[relative[2]!]!;
  const at = Date.parse(text);
  if (Number.isNaN(at))
    throw usageError(
      `--since must be a duration such as 10m or 2h, or a date and time, not ${JSON.stringify(text)}`,
    );
  return at;
}

function lineCount(text: string | undefined): number | null {
  if (text === undefined) return null;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw usageError(`-n must be a whole number of lines, not ${JSON.stringify(text)}`);
  return n;
}

function pattern(text: string | undefined): RegExp | null {
  if (text === undefined) return null;
  try {
    return new RegExp(text);
  } catch (error) {
    throw usageError(`--grep: ${(error as Error).message}`);
  }
}

/** Every line the child's ring still holds, page by page. */
async function allLines(client: SocketClient, id: string): Promise<OutputLine[]> {
  const lines: OutputLine[] = [];
  for (;;) {
    const since = lines.at(-1)?.seq ?? 0;
    const page = await client.call('children:output', { id, since, limit: PAGE });
    lines.push(...page.lines);
    if (page.lines.length < PAGE) return lines;
  }
}

export function logsCommand(program: Command): void {
  program
    .command('logs [name...]')
    .description("show the children's output (all children without NAME), coloured by child on a terminal")
    .option('-f, --follow', 'keep printing new lines as they come')
    .option('-n, --lines <n>', 'the last N lines of each child (default 20, or all with --since)')
    .option('--since <time>', 'only lines since then: 10m, 2h, 1d, or a date and time')
    .option('--grep <regex>', 'only lines that match this regular expression')
    .action((names: string[], options: LogsOptions, command: Command) => {
      const limit = lineCount(options.lines) ?? (options.since === undefined ? 20 : null);
      const since = options.since === undefined ? null : sinceTime(options.since);
      const grep = pattern(options.grep);
      const colour = colourWanted(process.stdout);
      const keep = (line: OutputLine) =>
        (since === null || line.at >= since) && (grep === null || grep.test(line.text));
      return withBackend(command, async (client) => {
        const known = new Map<string, string>();
        const printed = new Map<string, number>();
        let width = 0;
        const print = (id: string, line: OutputLine): void => {
          const name = known.get(id) ?? id;
          const label = name.padEnd(width);
          console.log(`${colour ? colourByName(name, label) : label} | ${line.text}`);
        };
        // Subscribed before the history is read, so no line falls between the two; `printed` drops repeats.
        const live: Array<{ id: string; lines: OutputLine[] }> = [];
        let following = false;
        const wanted = (id: string) => names.length === 0 || known.has(id);
        const printNew = (batch: { id: string; lines: OutputLine[] }): void => {
          if (!wanted(batch.id)) return;
          for (const line of batch.lines) {
            if (line.seq <= (printed.get(batch.id) ?? 0) || !keep(line)) continue;
            printed.set(batch.id, line.seq);
            print(batch.id, line);
          }
        };
        if (options.follow) {
          client.on('child:state', (child: ChildInfo) => {
            if (names.length === 0 && !known.has(child.id)) {
              known.set(child.id, child.name);
              width = Math.max(width, child.name.length);
            }
          });
          client.on('child:output', (batch) => {
            if (following) printNew(batch);
            else live.push(batch);
          });
        }
        const children = selectChildren(
          await client.call('children:list', {}),
          names.length ? names : ['all'],
        );
        for (const child of children) known.set(child.id, child.name);
        width = Math.max(0, ...children.map((child) => child.name.length));
        const history = await Promise.all(
          children.map(async (child) => {
            const lines = await allLines(client, child.id);
            printed.set(child.id, lines.at(-1)?.seq ?? 0);
            const kept = lines.filter(keep);
            return (limit === null ? kept : kept.slice(Math.max(0, kept.length - limit))).map((line) => ({
              id: child.id,
              line,
            }));
          }),
        );
        for (const { id, line } of history.flat().sort((a, b) => a.line.at - b.line.at)) print(id, line);
        if (!options.follow) return;
        following = true;
        live.splice(0).forEach(printNew);
        await client.closed;
        throw new CliFailure('the connection to Proctor was lost');
      });
    });
}
