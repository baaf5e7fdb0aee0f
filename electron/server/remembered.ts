// Headless mode's address across restarts: the port it last served on and its token, kept beside the
// settings (0600: the token opens the window), so a tab left open reconnects to a restarted server.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { writeWholeSync } from '../core/write-whole';

const RememberedSchema = z.object({
  port: z.number().int().min(1).max(65_535).optional(),
  token: z.string().min(16).optional(),
});
export type Remembered = z.output<typeof RememberedSchema>;

export function rememberedFile(settingsFile: string): string {
  return join(dirname(settingsFile), 'headless.json');
}

/** 256 bits: far past guessing. */
export function freshToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the last run kept; nothing when there is no file or it is not ours to trust (a fresh start). */
export function readRemembered(file: string): Remembered {
  try {
    const parsed = RememberedSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : {};
  } catch {
    // No file yet, or unreadable: start afresh, and the next write replaces it.
    return {};
  }
}

export function writeRemembered(file: string, remembered: Remembered): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  // Created 0600, so the token is never readable by others, not even mid-write.
  writeWholeSync(file, `${JSON.stringify(remembered, null, 2)}\n`, { mode: 0o600 });
}
