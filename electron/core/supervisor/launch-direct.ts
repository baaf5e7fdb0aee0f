// The weak fallback when the guard shim is not built: a plain spawn in its own process group.
// Children survive a SIGKILL of the app; a normal exit of the app still kills their groups.
import { spawn } from 'node:child_process';
import type { ChildSpec } from '../../../shared/model';
import { childEnv, pipeOutput, type LaunchHandlers, type Launcher } from './launch';
import { signalGroup } from './signals';
import { nodeSpawnFailure } from './spawn-errors';

const liveGroups = new Set<number>();
let exitHookInstalled = false;

function killLiveGroupsAtExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
  });
}

export class DirectLauncher implements Launcher {
  launch(spec: ChildSpec, on: LaunchHandlers): void {
    killLiveGroupsAtExit();
    const proc = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: childEnv(spec),
    });
    const drain = pipeOutput(proc, on);
    let running = false;
    proc.once('spawn', () => {
      running = true;
      liveGroups.add(proc.pid!);
      on.running(proc.pid!, null);
    });
    proc.once('error', (error) => {
      if (!running) on.failed(nodeSpawnFailure(error, spec));
    });
    proc.once('exit', (code, signal) => {
      liveGroups.delete(proc.pid!);
      // The best this fallback can do for leftovers: whatever stayed in the child's group.
      signalGroup(proc.pid!, 'SIGKILL');
      void drain().then(() => on.exited(code, signal));
    });
  }
}
