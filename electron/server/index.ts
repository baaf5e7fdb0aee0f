// `npm run serve`: Proctor without a display. Prints one line with the URL (token included) and serves
// until SIGINT/SIGTERM, which stop the children by the quit policy (join with a limit, then terminate).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { leanHeap } from './lean-heap';
import { parseServerOptions, type ServerOptions } from './options';

// Before the backend's modules load: their startup garbage is what would grow the young generation.
leanHeap();
const { runHeadless } = await import('./headless');

let options: ServerOptions;
try {
  options = parseServerOptions(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
void runHeadless({
  ...options,
  root: resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'),
  socketPath: null,
});
