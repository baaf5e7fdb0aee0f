// The machine's real process source, made to fail on cue: for tests of what a failed tick does.
import { createDefaultSource, type ProcessSource } from '../../electron/core/monitor';

export interface FailingSource extends ProcessSource {
  /** While set, every sample rejects with this message. */
  failWith: string | null;
}

export function failingSource(): FailingSource {
  const real = createDefaultSource();
  const source: FailingSource = {
    name: real.name,
    failWith: null,
    sample: () => (source.failWith === null ? real.sample() : Promise.reject(new Error(source.failWith))),
    close: () => real.close(),
  };
  return source;
}
