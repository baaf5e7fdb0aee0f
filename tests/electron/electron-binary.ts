import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The Electron binary `require('electron')` points at, or why there is none. */
export function electronBinary(): { path: string } | { missing: string } {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    if (typeof path === 'string' && existsSync(path)) return { path };
    return { missing: `the electron package points at ${String(path)}, which does not exist` };
  } catch (error) {
    return {
      missing: `no Electron binary (${(error as Error).message.split('\n')[0]}); it was skipped at install with ELECTRON_SKIP_BINARY_DOWNLOAD=1 — run \`npm install\` with internet access to get it`,
    };
  }
}
