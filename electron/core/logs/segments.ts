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
  // Sized all at once: a writer rotating in a flood lists its folder at every rotation.
  const sized = await Promise.all(
    names.map(async (name): Promise<Segment | null> => {
      const match = SEGMENT.exec(name);
      if (!match) return null;
      const path = join(dir, name);
      const bytes = await stat(path).then(
        (s) => s.size,
        () => -1,
      );
      return bytes < 0 ? null : { first: Number(match[1]), path, compressed: match[2] !== undefined, bytes };
    }),
  );
  const found = new Map<number, Segment>();
  for (const segment of sized) {
    // A raw file beside its finished .gz is a compression that has not yet deleted it: the .gz wins.
    if (segment && !found.get(segment.first)?.compressed) found.set(segment.first, segment);
  }
  return [...found.values()].sort((a, b) => a.first - b.first);
}
