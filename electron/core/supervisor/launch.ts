// What starting one run of a child looks like, whichever guard does it.
import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { ProctorError } from '../../../shared/errors';
import type { ChildSpec, OutputStream } from '../../../shared/model';
import { readPipe } from './read-pipe';
import type { Slab } from './read-slabs';

/** Exactly one of `failed` or (`running` then `exited`) is called per launch. */
export interface LaunchHandlers {
  /** The guard runs and is starting the program (shim only); `running` or `failed` follows. */
  guarded(guardPid: number): void;
  running(pid: number, guardPid: number | null): void;
  failed(error: ProctorError): void;
  /** `slab` is where `chunk` lies (see read-slabs.ts); null when the chunk is its own memory. */
  output(stream: OutputStream, chunk: Buffer, slab: Slab | null): void;
  outputEnd(stream: OutputStream): void;
  exited(code: number | null, signal: NodeJS.Signals | null): void;
}

export interface Launcher {
  launch(spec: ChildSpec, on: LaunchHandlers): void;
  /** The child that owns `spec` is settled for good: whatever was kept ready for its next run goes. */
  release?(spec: ChildSpec): void;
}

/**
 * After the process exits, how long we still wait for its pipes to close so its last lines land
 * before `exit` is reported. A descendant that kept the pipe open must not hold the exit back.
 */
const OUTPUT_DRAIN_MS = 200;

export function childEnv(spec: ChildSpec): NodeJS.ProcessEnv | undefined {
  if (spec.inheritEnv === false) return { ...spec.env };
  return spec.env === undefined ? undefined : { ...process.env, ...spec.env };
}

/**
 * Feeds stdout and stderr to the handlers and returns a function that waits (a bounded time) for
 * both to be drained. Exit is decided by the process's exit event, never by the pipes closing.
 */
export function pipeOutput(proc: ChildProcess, on: LaunchHandlers): () => Promise<void> {
  const streams: Array<[OutputStream, Readable | null]> = [
    ['stdout', proc.stdout],
    ['stderr', proc.stderr],
  ];
  const drained: Array<Promise<void>> = [];
  for (const [name, stream] of streams) {
    if (stream === null) continue;
    drained.push(
      readPipe(stream, {
        data: (chunk, slab) => on.output(name, chunk, slab),
        end: () => on.outputEnd(name),
      }),
    );
  }
  return () => {
    let timer: NodeJS.Timeout | undefined;
    const cap = new Promise<void>((resolve) => (timer = setTimeout(resolve, OUTPUT_DRAIN_MS)));
    return Promise.race([Promise.all(drained).then(() => undefined), cap]).finally(() => clearTimeout(timer));
  };
}
