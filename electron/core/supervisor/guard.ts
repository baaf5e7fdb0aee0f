// Finds the no-orphan guard shim once per Supervisor and picks how children are launched.
import { accessSync, constants } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DirectLauncher } from './launch-direct';
import { ShimLauncher } from './launch-shim';
import type { GuardWeakness } from '../../../shared/model';
import type { Launcher } from './launch';

export interface GuardStatus {
  kind: 'shim' | 'weak';
  path?: string;
  reason?: string;
  why?: GuardWeakness;
}

const SHIM_IN_REPO = join('native', 'build', 'proctor-guard');
/** From this file (or a bundle of it in out/main) up to the folder that holds native/build. */
const SEARCH_DEPTH = 5;

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function candidates(): string[] {
  const found: string[] = [];
  for (let dir = dirname(fileURLToPath(import.meta.url)), i = 0; i < SEARCH_DEPTH; i++, dir = dirname(dir)) {
    found.push(join(dir, SHIM_IN_REPO));
  }
  found.push(join(process.cwd(), SHIM_IN_REPO));
  return found;
}

/** An explicit path (option, then PROCTOR_GUARD) is used as given; otherwise the repo's build is searched. */
export function resolveGuard(explicitPath?: string): GuardStatus {
  if (process.platform !== 'linux') {
    return {
      kind: 'weak',
      why: 'platform',
      reason: `the guard shim is Linux-only; on ${process.platform} children may outlive a killed app`,
    };
  }
  const explicit = explicitPath ?? process.env.PROCTOR_GUARD;
  if (explicit !== undefined && explicit !== '') {
    return executable(explicit)
      ? { kind: 'shim', path: explicit }
      : {
          kind: 'weak',
          why: 'missing',
          path: explicit,
          reason: `guard shim not found or not executable at ${explicit}`,
        };
  }
  const path = candidates().find(executable);
  if (path !== undefined) return { kind: 'shim', path };
  return {
    kind: 'weak',
    why: 'notBuilt',
    reason: `guard shim not built (looked for ${SHIM_IN_REPO}); run \`npm run build:guard\` with a C compiler installed`,
  };
}

export function launcherFor(status: GuardStatus): Launcher {
  return status.kind === 'shim' && status.path !== undefined
    ? new ShimLauncher(status.path)
    : new DirectLauncher();
}
