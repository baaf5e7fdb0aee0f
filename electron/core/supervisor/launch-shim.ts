// Starts a run through the guard shim (native/proctor-guard.c), which reports the real pid on fd 3.
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { ProctorError } from '../../../shared/errors';
import type { ChildSpec } from '../../../shared/model';
import { childEnv, pipeOutput, type LaunchHandlers, type Launcher } from './launch';
import { errnoName, startFailure, type StartStage } from './spawn-errors';

const LINK_FD = 3;
const APP_PID = String(process.pid);
const RUNNING = /^P (\d+)$/;
const START_FAILED = /^E (chdir|exec|fork) (\d+)$/;

export class ShimLauncher implements Launcher {
  constructor(private readonly guardPath: string) {}

  launch(spec: ChildSpec, on: LaunchHandlers): void {
    // detached: the shim leads its own session, so a signal to the app's group does not reach it
    // before it has had the chance to clean up.
    const proc = spawn(this.guardPath, [APP_PID, spec.cwd ?? '', spec.command, ...spec.args], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      env: childEnv(spec),
    });
    // Known at once, so the monitor folds the guard away from its first sample, before the report.
    if (proc.pid !== undefined) on.guarded(proc.pid);
    const drain = pipeOutput(proc, on);
    const link = proc.stdio[LINK_FD] as Readable;
    let running = false;
    let failure: ProctorError | null = null;
    let report = '';
    const readReport = (text: string): void => {
      report += text;
      for (let end = report.indexOf('\n'); end !== -1; end = report.indexOf('\n')) {
        const line = report.slice(0, end);
        report = report.slice(end + 1);
        const pid = RUNNING.exec(line);
        const failed = START_FAILED.exec(line);
        if (pid) {
          running = true;
          on.running(Number(pid[1]), proc.pid ?? null);
        } else if (failed) {
          failure = startFailure(failed[1] as StartStage, errnoName(Number(failed[2])), spec);
        }
      }
    };
    link.setEncoding('latin1');
    link.on('data', readReport);
    const linkClosed = new Promise<void>((resolve) => link.once('close', () => resolve()));

    proc.once('error', (error) => {
      if (!running)
        on.failed({
          code: 'E_SPAWN',
          message: `could not start the guard ${this.guardPath}: ${error.message}`,
        });
    });
    proc.once('exit', (code, signal) => {
      // The report line and the exit event race; the link closes only once the shim is gone.
      void linkClosed.then(async () => {
        if (running) {
          await drain();
          on.exited(code, signal);
        } else {
          on.failed(
            failure ?? { code: 'E_SPAWN', message: `the guard exited before starting ${spec.command}` },
          );
        }
      });
    });
  }
}
