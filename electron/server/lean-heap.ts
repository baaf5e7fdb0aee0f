// The headless backend's V8 heap, kept small. A backend that supervises sleeping programs allocates
// little that lives, yet V8 grows the young generation to its 16 MB semi-spaces (32 MB of RSS) as soon
// as a burst of startup garbage survives a scavenge. Run before the backend loads.
import { setFlagsFromString } from 'node:v8';

/**
 * The young generation stays at its initial 1 MB semi-spaces. `--max-semi-space-size` is read only when
 * the heap is set up (too late here, and `node out/main/server.js` has no launcher to pass it), while
 * the growth factor is read at each growth: a factor of 1 is the same cap, applied at run time.
 */
export function leanHeap(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
