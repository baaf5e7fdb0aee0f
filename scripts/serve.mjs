// `npm run serve [-- --port N --host H --token T --settings FILE]`: builds when the sources are newer than
// the build, then runs the headless server in this process (so signals reach it directly).
import { buildIfStale } from './build-if-stale.mjs';

buildIfStale();
await import('../out/main/server.js');
