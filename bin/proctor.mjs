#!/usr/bin/env node
// `proctor` (`npx proctor …` in a checkout, `npm link`): builds when the sources are newer, then runs the CLI.
import { buildIfStale } from '../scripts/build-if-stale.mjs';

buildIfStale();
await import('../out/main/proctor.js');
