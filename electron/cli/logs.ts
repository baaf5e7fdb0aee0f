// `proctor logs`: the programs' logs on disk (`logs:read`, `logs:search`), the same store the window pages
// through, merged by time, each line under its program's name; `-f` follows as the logs grow.
import type { Command } from 'commander';
import { parseNote } from '../../shared/log-notes';
import type { LogLine, LogSearchResult } from '../../shared/model';
import type { SocketClient } from '../client/socket-client';
import { withBackend } from './backend';
import { CliFailure, usageError } from './failure';
import { colourByName, colourWanted } from './format';

interface LogsOptions {
  follow?: boolean;
  lines?: string;
  since?: string;
  grep?: string;
}

/** The contract's page sizes for `logs:read` and `logs:search`. */
const READ_PAGE = 5000;
const SEARCH_PAGE = 1000;
/** After new output, how long to wait for it to reach the disk before reading the tail. */
const FOLLOW_DELAY_MS = 150;
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

function checkedPattern(text: string | undefined): string | null {
  if (text === undefined) return null;
  try {
    new RegExp(text, 'u');
  } catch (error) {
    throw usageError(`--grep: ${(error as Error).message}`);
  }
  return text;
}

/** The first position whose line is at or after `since`: a binary search, one line read a step. */
async function positionAt(client: SocketClient, name: string, since: number): Promise<number> {
  const { first, end } = await client.call('logs:read', { name, limit: 1 });
  let low = first;
  let high = end;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    const [line] = (await client.call('logs:read', { name, from: mid, limit: 1 })).lines;
    // A note of Proctor's own has a time too; a line rotated away meanwhile counts as old.
    if (line === undefined || line.at < since) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Lines from `from` on (matching `grep` when given), the last `limit` of them. */
async function linesFrom(
  client: SocketClient,
  name: string,
  from: number,
  grep: string | null,
  limit: number | null,
): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  const keep = (more: LogLine[]): void => {
    lines.push(...more);
    if (limit !== null && lines.length > limit) lines.splice(0, lines.length - limit);
  };
  if (grep !== null) {
    for (let next: number | null = from; next !== null;) {
      const found: LogSearchResult = await client.call('logs:search', {
        name,
        pattern: grep,
        regex: true,
        caseSensitive: true,
        from: next,
        limit: SEARCH_PAGE,
      });
      keep(found.matches);
      next = found.next;
    }
    return lines;
  }
  for (let at = from; ;) {
    const page = await client.call('logs:read', { name, from: at, limit: READ_PAGE });
    keep(page.lines);
    if (page.lines.length === 0 || page.lines.at(-1)!.pos + 1 >= page.end) return lines;
    at = page.lines.at(-1)!.pos + 1;
  }
}

/** Where to start reading a program: its last N lines, or the first since a time, or all. */
async function startOf(client: SocketClient, name: string, since: number | null, limit: number | null) {
  if (since !== null) return positionAt(client, name, since);
  const { first, end } = await client.call('logs:read', { name, limit: 1 });
  return limit === null ? first : Math.max(first, end - limit);
}

function shown(line: LogLine): string {
  if (line.stream !== 'note') return line.text;
  const note = parseNote(line.text);
  const time = new Date(line.at).toLocaleTimeString([], { hour12: false });
  if (note?.kind === 'run')
    return note.restarts === 0 ? `— started at ${time} —` : `— restart ${note.restarts} at ${time} —`;
  if (note?.kind === 'dropped') return `— ${note.count} lines dropped here —`;
  return `— ${line.text} —`;
}

export function logsCommand(program: Command): void {
  program
    .command('logs [name...]')
    .description("show the programs' logs on disk (every supervised child's without NAME), coloured by name")
    .option('-f, --follow', 'keep printing new lines as they reach the log')
    .option('-n, --lines <n>', 'the last N lines of each program (default 20, or all with --since)')
    .option('--since <time>', 'only lines since then: 10m, 2h, 1d, or a date and time')
    .option('--grep <regex>', 'only lines that match this regular expression')
    .action((names: string[], options: LogsOptions, command: Command) => {
      const limit = lineCount(options.lines) ?? (options.since === undefined ? 20 : null);
      const since = options.since === undefined ? null : sinceTime(options.since);
      const grep = checkedPattern(options.grep);
      const colour = colourWanted(process.stdout);
      return withBackend(command, async (client) => {
        const children = await client.call('children:list', {});
        const wanted = names.length > 0 ? names : [...new Set(children.map((child) => child.name))];
        const known = new Set((await client.call('logs:list', {})).map((log) => log.name));
        const missing = wanted.filter((name) => !known.has(name));
        if (names.length > 0 && missing.length === wanted.length) {
          throw new CliFailure(`no log for ${missing.join(', ')}: see \`proctor ps\` for the names`);
        }
        const width = Math.max(0, ...wanted.map((name) => name.length));
        const print = (name: string, line: LogLine): void => {
          const label = name.padEnd(width);
          console.log(`${colour ? colourByName(name, label) : label} | ${shown(line)}`);
        };
        const next = new Map<string, number>();
        const history = await Promise.all(
          wanted.map(async (name) => {
            const from = await startOf(client, name, since, limit);
            // The end before the lines: a line written between the two is read again, never skipped.
            const { end } = await client.call('logs:read', { name, limit: 1 });
            const lines = await linesFrom(client, name, from, grep, limit);
            next.set(name, Math.max(end, (lines.at(-1)?.pos ?? -1) + 1));
            return lines.map((line) => ({ name, line }));
          }),
        );
        for (const { name, line } of history.flat().sort((a, b) => a.line.at - b.line.at)) print(name, line);
        if (!options.follow) return;

        // New output is the signal; the lines themselves are read from the log, as the window does.
        const byId = new Map(children.map((child) => [child.id, child.name]));
        client.on('child:state', (child) => byId.set(child.id, child.name));
        const due = new Set<string>();
        let reading = Promise.resolve();
        const readNew = async (): Promise<void> => {
          for (const name of [...due]) {
            due.delete(name);
            const from = next.get(name) ?? 0;
            const { end } = await client.call('logs:read', { name, limit: 1 });
            const lines = await linesFrom(client, name, from, grep, null);
            next.set(name, Math.max(end, from, (lines.at(-1)?.pos ?? -1) + 1));
            for (const line of lines) print(name, line);
          }
        };
        client.on('child:output', ({ id }) => {
          const name = byId.get(id);
          if (name === undefined || (names.length > 0 && !names.includes(name))) return;
          if (!next.has(name)) next.set(name, 0);
          due.add(name);
          setTimeout(() => (reading = reading.then(readNew)), FOLLOW_DELAY_MS);
        });
        await client.closed;
        throw new CliFailure('the connection to Proctor was lost');
      });
    });
}
