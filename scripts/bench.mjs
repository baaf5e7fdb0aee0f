// `npm run bench [-- area ...]`: runs the TypeScript bench parts under tsx.
import { spawnSync } from 'node:child_process';

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', 'tests/bench/index.ts', ...process.argv.slice(2)],
  { stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '--expose-gc' } },
);
process.exit(result.status ?? 1);
