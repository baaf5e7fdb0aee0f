// Idle processes for the benches' loads: long `sleep`s forked by a few shells that stay to reap them.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

const SHELLS = 5;
/**
 * Longer than any bench runs. The monitor bench takes about 14 minutes, and with 600 s the first
 * thousand sleeps died during its +5,000 probes: 1,000 exits in a measured window, then 4,000 sleeps
 * where the figure says 5,000.
 */
const SLEEP_SECONDS = 3600;

/**
 * Idle sleeps forked by a few shells that stay to reap them (init here never reaps), each
 * printing its sleeps' pids. Killed by pid at the end; the shells then exit by themselves.
 */
export class Sleepers {
  private readonly shells: ChildProcess[] = [];
  private readonly pids: number[] = [];

  async grow(total: number): Promise<void> {
    const missing = total - this.pids.length;
    if (missing <= 0) return;
    const each = Math.ceil(missing / SHELLS);
    await Promise.all(Array.from({ length: SHELLS }, () => this.spawnShell(each)));
  }

  private async spawnShell(count: number): Promise<void> {
    const script = `i=0; while [ $i -lt ${count} ]; do sleep ${SLEEP_SECONDS} & echo $!; i=$((i+1)); done; wait`;
    const shell = spawn('sh', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.shells.push(shell);
    let seen = 0;
    for await (const line of createInterface({ input: shell.stdout! })) {
      this.pids.push(Number(line));
      if (++seen === count) break;
    }
  }

  async killAll(): Promise<void> {
    for (const pid of this.pids.splice(0)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await Promise.all(
      this.shells.splice(0).map(async (shell) => {
        if (shell.exitCode !== null || shell.signalCode !== null) return;
        const timer = setTimeout(() => shell.kill('SIGKILL'), 15_000);
        await once(shell, 'exit');
        clearTimeout(timer);
      }),
    );
  }
}
