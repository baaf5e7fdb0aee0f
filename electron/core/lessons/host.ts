// What a lesson run needs of the backend, and no more: start and join a child (the Child it gets),
// a lease on a faster monitor interval, the monitor's samples for the family graph, and its events.
import type { ChildSpec, LessonRun, Settings, TreeDelta, TreeSnapshot } from '../../../shared/model';
import type { Logger } from '../log';
import type { Child } from '../supervisor';

export interface LessonHost {
  /** Resolves once the program runs or has failed to start (see `child.error`). */
  startChild(spec: ChildSpec): Promise<Child>;
  child(id: string): Child | undefined;
  /** Drops a finished child from the list every window shows. */
  removeChild(id: string): void;
  /** The monitor samples at least every `ms` until the release is called; the user's setting returns then. */
  leaseInterval(ms: number): () => void;
  /** The monitor's last sample. */
  snapshot(): TreeSnapshot;
  /** One sample now, also while the user has paused the loop; null while one is under way. */
  tick(): Promise<TreeDelta | null>;
  paused(): boolean;
  onDelta(listener: (delta: TreeDelta) => void): () => void;
  settings(): Settings;
  /** Pushes a run, running or finished, to every window. */
  publish(run: LessonRun): void;
  /** For failures that must not pass silently. */
  log: Logger;
}
