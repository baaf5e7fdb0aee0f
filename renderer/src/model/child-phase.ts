import type { ChildState } from '../../../shared/model';

/**
 * Where a child is in its life, as the window counts it: its process runs (or is being started or
 * stopped), it waits to start or restart, or it is finished (exited, failed, fatal: what Remove takes).
 */
export function childPhase(state: ChildState): 'running' | 'waiting' | 'finished' {
  if (state === 'exited' || state === 'failed' || state === 'fatal') return 'finished';
  if (state === 'backoff' || state === 'created') return 'waiting';
  return 'running';
}
