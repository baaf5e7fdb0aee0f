// A program's log is a run of segment files named by the position of their first line:
// `000000000000.log` (the newest, being written) and older ones gzip-compressed, `….log.gz`.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface Segment {
  /** Position of its first line. */
  first: number;
  path: string;
  compressed: boolean;
  bytes: number;
}

const SEGMENT = /^(\d{12})\.log(\.gz)?$/;

export function segmentName(first: number, compressed: boolean): string {
  return `${String(first).padStart(12, '0')}.log${compressed ? '.gz' : ''}`;
}

/** The segments in `dir`, oldest first; a missing directory has none. */
export async function listSegments(dir: string): Promise<Segment[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const found = new Map<number, Segment>();
  for (const name of names) {
    const match = SEGMENT.exec(name);
    if (!match) continue;
    const first = Number(match[1]);
    const compressed = match[2] !== undefined;
    // A raw file beside its finished .gz is a compression that has not yet deleted it: the .gz wins.
    if (found.get(first)?.compressed) continue;
    const path = join(dir, name);
    const bytes = await stat(path).then(
      (s) => s.size,
      () => -1,
    );
    if (bytes >= 0) found.set(first, { first, path, compressed, bytes });
  }
  return [...found.values()].sort((a, b) => a.first - b.first);
}
