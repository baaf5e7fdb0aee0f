// Finds the Python that runs the lessons: the interpreter set in Settings, else python3 (or python) on PATH.
import { execFile } from 'node:child_process';
import type { PythonStatus } from '../../../shared/model';

/** Generous: a version manager's shim (pyenv) starts slowly on a loaded machine. */
const PROBE_TIMEOUT_MS = 15_000;
const MIN_VERSION: readonly [number, number] = [3, 8];
// Prints the interpreter's real path and its version, one per line.
const PROBE = 'import sys; print(sys.executable); print("%d.%d.%d" % sys.version_info[:3])';
export const INSTALL_HINT =
  'install python3 with `sudo apt install python3` (or from python.org), or set the interpreter in Settings';

interface Probe {
  path: string;
  version: string;
}

function probe(command: string, env: NodeJS.ProcessEnv): Promise<Probe | string> {
  return new Promise((resolve) => {
    execFile(command, ['-c', PROBE], { timeout: PROBE_TIMEOUT_MS, env }, (error, stdout) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        resolve(code === 'ENOENT' ? 'not found' : code === 'EACCES' ? 'not executable' : error.message);
        return;
      }
      const [path, version] = stdout.trim().split('\n');
      resolve(path && version ? { path, version } : 'printed no version');
    });
  });
}

function tooOld(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major < MIN_VERSION[0] || (major === MIN_VERSION[0] && minor < MIN_VERSION[1]);
}

/** Never throws: a missing or broken interpreter is a status with a hint, not an error. */
export async function locatePython(
  configured: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PythonStatus> {
  const candidates = configured.trim() !== '' ? [configured.trim()] : ['python3', 'python'];
  const problems: string[] = [];
  for (const candidate of candidates) {
    const found = await probe(candidate, env);
    if (typeof found === 'string') {
      problems.push(`${candidate}: ${found}`);
    } else if (tooOld(found.version)) {
      problems.push(`${candidate}: Python ${found.version} is older than ${MIN_VERSION.join('.')}`);
    } else {
      return { found: true, path: found.path, version: found.version, hint: null };
    }
  }
  return {
    found: false,
    path: null,
    version: null,
    hint: `No usable Python (${problems.join('; ')}): ${INSTALL_HINT}.`,
  };
}
