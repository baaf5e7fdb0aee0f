// `npm run serve [-- --port N --host H --token T --settings FILE]`: builds when the sources are newer than
// the build, then runs the headless server in this process (so signals reach it directly).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const built = ['out/main/server.js', 'out/renderer/index.html'];

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

const sourcesMtime = Math.max(...['electron', 'renderer', 'shared'].map(newestMtime));
const stale = built.some((file) => !existsSync(file) || statSync(file).mtimeMs < sourcesMtime);
if (stale) {
  console.error('Building Proctor (electron-vite build)…');
  const result = spawnSync('npx', ['electron-vite', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
await import('../out/main/server.js');
