// A dd writing what a paced Python writer gives it (readers fixture), in a group of its own so the
// pipeline goes with one kill: the disk-rate tests' known writer.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WRITER = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/readers/paced-writer.py');

export function pacedDd(file: string): ChildProcess {
  return spawn('sh', ['-c', `python3 ${WRITER} | dd of=${file} bs=64K iflag=fullblock status=none`], {
    detached: true,
    stdio: 'ignore',
  });
}
