// A file replaced whole or not at all: written beside its place under a name no other write uses, then
// renamed over it. One temporary name per file let two writes at once collide: the first rename took the
// second's file away and that write failed with ENOENT. A failed write leaves the old file and no litter.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';

export interface WriteWholeOptions {
  /** The file's permission bits, set at creation so the content is never readable by others. @default 0o666 & ~umask */
  mode?: number;
}

let writes = 0;

function temporaryName(file: string): string {
  writes += 1;
  return `${file}.${process.pid}.${writes}.tmp`;
}

export async function writeWhole(file: string, data: string, options: WriteWholeOptions = {}): Promise<void> {
  const temporary = temporaryName(file);
  try {
    await writeFile(temporary, data, { mode: options.mode });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

export function writeWholeSync(file: string, data: string, options: WriteWholeOptions = {}): void {
  const temporary = temporaryName(file);
  try {
    writeFileSync(temporary, data, { mode: options.mode });
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
