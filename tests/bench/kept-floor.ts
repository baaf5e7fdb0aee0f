import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';

// The kept-fd floor (kept-floor.c), compiled at bench time with the system C compiler like native/ is,
// and driven one round per request so its rounds take turns with the source's.

const here = dirname(fileURLToPath(import.meta.url));
const SOURCE = join(here, 'kept-floor.c');
const BINARY = join(here, '../../.bench/kept-floor');

export interface FloorRound {
  totalMs: number;
  schedstatMs: number;
  statMs: number;
  processes: number;
  statReads: number;
}

/** Compiles the floor; null with the compiler's complaint when there is no compiler. */
export function buildKeptFloor(): { binary: string } | { error: string } {
  mkdirSync(dirname(BINARY), { recursive: true });
  const result = spawnSync(process.env.CC ?? 'cc', ['-O2', '-Wall', '-Wextra', '-o', BINARY, SOURCE], {
    encoding: 'utf8',
  });
  if (result.error) return { error: result.error.message };
  if (result.status !== 0) return { error: result.stderr.trim() || `cc exited with ${result.status}` };
  return { binary: BINARY };
}

/** One floor process, holding the fds of the processes alive when it started. */
export class KeptFloor {
  private readonly child: ChildProcess;
  private readonly lines: Interface;
  private readonly answers: AsyncIterator<string>;

  constructor(binary: string) {
    this.child = spawn(binary, [], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.lines = createInterface({ input: this.child.stdout! });
    this.answers = this.lines[Symbol.asyncIterator]();
  }

  async round(): Promise<FloorRound> {
    this.child.stdin!.write('r\n');
    const { value, done } = await this.answers.next();
    if (done) throw new Error('the kept-fd floor exited');
    const [totalMs, schedstatMs, statMs, processes, statReads] = String(value).split(' ').map(Number);
    return {
      totalMs: totalMs!,
      schedstatMs: schedstatMs!,
      statMs: statMs!,
      processes: processes!,
      statReads: statReads!,
    };
  }

  close(): void {
    this.lines.close();
    this.child.stdin!.end();
    this.child.kill();
  }
}
