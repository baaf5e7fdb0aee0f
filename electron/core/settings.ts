// Settings live in one JSON file; a missing or corrupt file falls back to defaults instead of failing start-up.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { GRACE_MS, HISTORY_LENGTH, INTERVAL_MS, QUIT_JOIN_MS } from '../../shared/limits';
import type { Settings } from '../../shared/model';
import { SettingsPatchSchema } from '../../shared/schemas';

export const DEFAULT_SETTINGS: Settings = {
  intervalMs: INTERVAL_MS.default,
  graceMs: GRACE_MS.default,
  quitPolicy: 'ask',
  quitJoinMs: QUIT_JOIN_MS.default,
  historyLength: HISTORY_LENGTH.default,
  hideOnClose: true,
  language: 'en',
  pythonPath: 'python3',
};

export class SettingsStore {
  private current: Settings;

  /** `file` undefined keeps settings in memory only (tests, a throwaway headless run). */
  constructor(private readonly file?: string) {
    this.current = { ...DEFAULT_SETTINGS, ...this.load() };
  }

  get(): Settings {
    return { ...this.current };
  }

  update(patch: Partial<Settings>): Settings {
    this.current = { ...this.current, ...patch };
    this.save();
    return this.get();
  }

  private load(): Partial<Settings> {
    if (!this.file) return {};
    try {
      const parsed = SettingsPatchSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      return parsed.success ? parsed.data : {};
    } catch {
      return {};
    }
  }

  private save(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    // Write then rename, so a crash mid-write never leaves a half file behind.
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, JSON.stringify(this.current, null, 2));
    renameSync(temp, this.file);
  }
}
