// The shared memory one process maps, from /proc/PID/maps: POSIX semaphores and shared memory under
// /dev/shm, memfd and SysV segments. multiprocessing's Lock, Value, Array and shared_memory all live
// there, so two processes that map one file (device and inode) share that object.
import { readFile } from 'node:fs/promises';

export interface SharedMapping {
  /** `<dev>:<inode>`: the same in every process that maps the file, whatever name each one shows. */
  key: string;
  /** The path the kernel shows, without its ` (deleted)` suffix. */
  path: string;
}

// start-end perms offset dev inode path; a shared mapping has `s` as its fourth permission.
const LINE = /^[0-9a-f]+-[0-9a-f]+ [r-][w-][x-]s [0-9a-f]+ ([0-9a-f]+:[0-9a-f]+) (\d+)\s+(.+)$/;
const SHARED_PATH = /^(\/dev\/shm\/|\/memfd:|\/SYSV)/;
const DELETED = / \(deleted\)$/;

/** Parses maps text; only shared mappings of shared-memory files are kept, each file once. */
export function parseSharedMaps(text: string): SharedMapping[] {
  const found = new Map<string, SharedMapping>();
  for (const line of text.split('\n')) {
    // The cheap test first: most of a Python process's maps are its libraries.
    if (
      !line.includes('s ') ||
      !(line.includes('/dev/shm/') || line.includes('/memfd:') || line.includes('/SYSV'))
    )
      continue;
    const match = LINE.exec(line);
    if (!match || match[2] === '0') continue;
    const path = match[3]!.replace(DELETED, '');
    if (!SHARED_PATH.test(path)) continue;
    const key = `${match[1]}:${match[2]}`;
    if (!found.has(key)) found.set(key, { key, path });
  }
  return [...found.values()];
}

/** One process's shared mappings, or null when it is gone or not ours to read. */
export async function readSharedMaps(pid: number): Promise<SharedMapping[] | null> {
  try {
    return parseSharedMaps(await readFile(`/proc/${pid}/maps`, 'latin1'));
  } catch {
    return null;
  }
}
