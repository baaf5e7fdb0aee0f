// Starts a run through the guard shim (native/proctor-guard.c), which reports the real pid on fd 3.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { ProctorError } from '../../../shared/errors';
import type { ChildSpec } from '../../../shared/model';
import { childEnv, pipeOutput, type LaunchHandlers, type Launcher } from './launch';
import { errnoName, startFailure, type StartStage } from './spawn-errors';

const LINK_FD = 3;
const APP_PID = String(process.pid);
const RUNNING = /^P (\d+)$/;
const START_FAILED = /^E (chdir|exec|fork) (\d+)$/;
/** What a spare guard waits for on its link before it starts the program. */
const GO = 'G';

/**
 * Whether a spare guard is kept ready for the next run: only when a crash restarts at once (backoff 0).
 * Spawning is a fork of this whole process, milliseconds on the restart's path; writing to a waiting
 * guard is a write. Other restarts wait a backoff anyway, so they keep no extra process around.
 */
function restartsAtOnce(spec: ChildSpec): boolean {
  const restart = spec.restart;
  return restart !== undefined && restart.policy !== 'never' && restart.backoffMs === 0;
}

function exited(proc: ChildProcess): boolean {
  return proc.exitCode !== null || proc.signalCode !== null;
}

/** A spare must not keep the app alive, nor its pipes: ref(false) while it waits, ref(true) once it runs. */
function hold(proc: ChildProcess, held: boolean): void {
  for (const handle of [proc, ...proc.stdio] as Array<{ ref(): void; unref(): void } | null>) {
    if (held) handle?.ref();
    else handle?.unref();
  }
}

export class ShimLauncher implements Launcher {
  /** By spec (each child's is its own frozen object): a guard spawned with -w, waiting for its go. */
  readonly #spares = new Map<ChildSpec, ChildProcess>();

  constructor(private readonly guardPath: string) {}

  launch(spec: ChildSpec, on: LaunchHandlers): void {
    const spare = this.#takeSpare(spec);
    // detached: the shim leads its own session, so a signal to the app's group does not reach it
    // before it has had the chance to clean up.
    const proc = spare ?? this.#spawn(spec, false);
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
          if (restartsAtOnce(spec)) setImmediate(() => this.#prepare(spec));
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
    if (spare) {
      hold(spare, true);
      (link as unknown as Writable).write(GO);
    }
  }

  /** The child is settled for good: its spare guard, if any, goes (it has started nothing yet). */
  release(spec: ChildSpec): void {
    const spare = this.#spares.get(spec);
    this.#spares.delete(spec);
    spare?.kill('SIGKILL');
  }

  #spawn(spec: ChildSpec, spare: boolean): ChildProcess {
    return spawn(
      this.guardPath,
      [...(spare ? ['-w'] : []), APP_PID, spec.cwd ?? '', spec.command, ...spec.args],
      {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
        env: childEnv(spec),
      },
    );
  }

  /** Spawns the next run's guard now, off the restart's path; it waits for its go on the link. */
  #prepare(spec: ChildSpec): void {
    if (this.#spares.has(spec)) return;
    let proc: ChildProcess;
    try {
      proc = this.#spawn(spec, true);
    } catch {
      // No spare, no harm: the next run spawns its guard the ordinary way, and reports any error then.
      return;
    }
    proc.once('error', () => this.#forget(spec, proc));
    proc.once('exit', () => this.#forget(spec, proc));
    // A spare whose app-side write fails has died meanwhile: its exit, not this, reports the failed start.
    proc.stdio[LINK_FD]!.on('error', () => {});
    hold(proc, false);
    this.#spares.set(spec, proc);
  }

  #takeSpare(spec: ChildSpec): ChildProcess | null {
    const spare = this.#spares.get(spec);
    this.#spares.delete(spec);
    return spare !== undefined && !exited(spare) ? spare : null;
  }

  #forget(spec: ChildSpec, proc: ChildProcess): void {
    if (this.#spares.get(spec) === proc) this.#spares.delete(spec);
  }
}
