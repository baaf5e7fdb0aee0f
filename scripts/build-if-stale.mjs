// Builds Proctor (electron-vite build) when its sources are newer than the build, for `npm run serve` and
// the `proctor` command in a checkout. Concurrent callers (parallel tests) build once: the others wait.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '..', '..');
const built = ['out/main/server.js', 'out/main/proctor.js', 'out/renderer/index.html'];
const lock = join(root, 'out', '.build-lock');
/** A lock older than this was left by a build that died. */
const STALE_LOCK_MS = 5 * 60_000;

// A walk of its own rather than readdirSync's `recursive`, which costs several times more in a cold
// process: this runs before every `proctor` command of a checkout.
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.isFile()) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function stale() {
  const sourcesMtime = Math.max(
    ...['electron', 'renderer', 'shared'].map((dir) => newestMtime(join(root, dir))),
  );
  return built.some(
    (file) => !existsSync(join(root, file)) || statSync(join(root, file)).mtimeMs < sourcesMtime,
  );
}

function takeLock() {
  mkdirSync(join(root, 'out'), { recursive: true });
  try {
    mkdirSync(lock);
    return true;
  } catch {
    if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
    return false;
  }
}

/** Returns once the build is fresh; exits with the build's status when it fails. */
export function buildIfStale() {
  while (stale()) {
    if (!takeLock()) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
      continue;
    }
    try {
      if (!stale()) return;
      console.error('Building Proctor (electron-vite build)…');
      const result = spawnSync('npx', ['electron-vite', 'build'], {
        cwd: root,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      if (result.status !== 0) process.exit(result.status ?? 1);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}
