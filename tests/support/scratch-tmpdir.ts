// Test runs make hundreds of temporary directories (state dirs, stacks, sockets) and some tests cannot
// clean up after a failure. The whole run gets one scratch TMPDIR, which every child process and Python's
// tempfile inherit, removed when the run ends.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Global setup for vitest and Playwright alike: both call the function it returns as the teardown. */
export default function scratchTmpdir(): () => void {
  const scratch = mkdtempSync(join(tmpdir(), 'proctor-test-run-'));
  // Like /tmp itself: tests that run a backend as another user (nobody) make their directories in it.
  chmodSync(scratch, 0o1777);
  process.env.TMPDIR = scratch;
  // Children's logs on disk go to a throwaway state directory, never the user's.
  process.env.XDG_STATE_HOME = join(scratch, 'state');
  return () => rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
}
