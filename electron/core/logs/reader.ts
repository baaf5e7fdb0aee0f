// Paging and searching a program's whole on-disk history by position, rotated gzip segments included.
import { CodedError } from '../../../shared/errors';
import type { LogLine, LogPage, LogSearchResult, OutputStream } from '../../../shared/model';
import { countLogLines, segmentLogLines } from './lines';
import { listSegments, type Segment } from './segments';
import type { Mark } from './writer';

export interface LogSearch {
  pattern: string;
  /** The pattern is a regular expression rather than plain text. */
  regex: boolean;
  caseSensitive: boolean;
  stream?: OutputStream;
  /** First position searched; the oldest on disk when left out. */
  from?: number;
  limit: number;
}

/** Lines looked at per search call at most, so one request never scans without end. */
const SEARCH_SCAN_LIMIT = 2_000_000;

/**
 * `liveEnd` is the writer's end in this run when there is one; without it the newest segment is
 * counted. A segment compressed (and its raw file deleted) while we read makes the read start over once.
 */
export async function readPage(
  dir: string,
  from: number | undefined,
  limit: number,
  liveEnd: number | null,
  seek: Seek = () => null,
): Promise<LogPage> {
  return retryOnVanished(async () => {
    const segments = await listSegments(dir);
    if (segments.length === 0) return { lines: [], first: liveEnd ?? 0, end: liveEnd ?? 0 };
    const first = segments[0]!.first;
    const end = liveEnd ?? (await endOf(segments.at(-1)!));
    const start = Math.min(Math.max(from ?? end - limit, first), end);
    const lines: LogLine[] = [];
    await scan(
      segments,
      start,
      (line) => {
        if (line.pos >= end) return false;
        lines.push(line);
        return lines.length < limit;
      },
      seek,
    );
    return { lines, first, end };
  });
}

export async function searchLog(dir: string, search: LogSearch): Promise<LogSearchResult> {
  const matcher = matcherOf(search);
  return retryOnVanished(async () => {
    const segments = await listSegments(dir);
    const matches: LogLine[] = [];
    let scanned = 0;
    let next: number | null = null;
    await scan(segments, search.from ?? 0, (line) => {
      if (++scanned > SEARCH_SCAN_LIMIT) {
        next = line.pos;
        return false;
      }
      if ((search.stream === undefined || line.stream === search.stream) && matcher(line.text)) {
        matches.push(line);
        if (matches.length >= search.limit) {
          next = line.pos + 1;
          return false;
        }
      }
      return true;
    });
    return { matches, next };
  });
}

function matcherOf(search: LogSearch): (text: string) => boolean {
  if (!search.regex) {
    if (search.caseSensitive) return (text) => text.includes(search.pattern);
    const needle = search.pattern.toLowerCase();
    return (text) => text.toLowerCase().includes(needle);
  }
  let pattern: RegExp;
  try {
    pattern = new RegExp(search.pattern, search.caseSensitive ? 'u' : 'iu');
  } catch (error) {
    throw new CodedError(
      'E_INVALID',
      `pattern is not a valid regular expression: ${(error as Error).message}`,
      'pattern',
    );
  }
  return (text) => pattern.test(text);
}

/** The writer's marks in the segment it writes (LogWriter.seek): a read there skips to the nearest. */
export type Seek = (pos: number) => { path: string; mark: Mark } | null;

/**
 * Calls `take` with each line from position `from` on, oldest first, until it answers false. In the
 * segment being written the read starts at the writer's last mark before `from`, not at its start.
 */
async function scan(
  segments: Segment[],
  from: number,
  take: (line: LogLine) => boolean,
  seek: Seek = () => null,
): Promise<void> {
  let index = segments.findLastIndex((segment) => segment.first <= from);
  if (index < 0) index = 0;
  for (const segment of segments.slice(index)) {
    const sought = segment.compressed ? null : seek(Math.max(from, segment.first));
    const mark = sought?.path === segment.path ? sought.mark : { pos: segment.first, offset: 0 };
    for await (const line of segmentLogLines(segment, mark.offset, mark.pos)) {
      if (line.pos >= from && !take(line)) return;
    }
  }
}

async function endOf(segment: Segment): Promise<number> {
  return segment.first + (await countLogLines(segment));
}

async function retryOnVanished<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return read();
  }
}
