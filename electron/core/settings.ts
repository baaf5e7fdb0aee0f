// Settings live in one JSON file. A bad field costs only that field: every valid one is kept, each bad
// one is reported, and the file as the user had it is kept aside before Proctor first writes over it.
// A save is all or nothing: on failure neither the file nor the settings in memory change.
import { copyFileSync, constants, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CodedError } from '../../shared/errors';
import {
  GRACE_MS,
  HISTORY_LENGTH,
  INTERVAL_MS,
  KEEP_EXITED,
  LOG_MAX_BYTES,
  LOG_MAX_FILES,
  QUIT_JOIN_MS,
} from '../../shared/limits';
import type { Settings, SettingsProblem, SettingsReport } from '../../shared/model';
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
  keepExitedPerName: KEEP_EXITED.perName,
  keepExitedTotal: KEEP_EXITED.total,
  webhookUrl: '',
  notifyCrash: true,
  notifyFatal: true,
  notifyBlocked: true,
  notifyUnhealthy: true,
  logMaxBytes: LOG_MAX_BYTES.default,
  logMaxFiles: LOG_MAX_FILES.default,
  metricsPort: 0,
  columns: [],
  hideKernelThreads: true,
  onlyMine: false,
  userFilter: '',
};

const FIELDS = SettingsPatchSchema.shape;
const SHOWN_VALUE_CHARS = 80;

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > SHOWN_VALUE_CHARS ? `${text.slice(0, SHOWN_VALUE_CHARS)}…` : text;
}

function isField(key: string): key is keyof Settings {
  return Object.hasOwn(FIELDS, key);
}

/** The errno of a failed file operation, in words a user can act on. */
function fileErrorWords(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a folder on its path is a file';
    case 'EACCES':
      return 'permission denied';
    case 'EPERM':
      return 'not permitted (is the file immutable?)';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'the disk is full';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/** Takes back a file this save made; one that was never made (or cannot be reached) is no error. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Nothing of ours is there to take back.
  }
}

interface Loaded {
  values: Partial<Settings>;
  problems: SettingsProblem[];
}

/** Every valid field of the text, and what was wrong with the rest. */
export function parseSettings(text: string): Loaded {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const detail = `not JSON (${(error as Error).message}); every setting is at its default`;
    return { values: {}, problems: [{ kind: 'unreadable', field: null, detail }] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const detail = `not a JSON object but ${shown(parsed)}; every setting is at its default`;
    return { values: {}, problems: [{ kind: 'unreadable', field: null, detail }] };
  }
  const values: Record<string, unknown> = {};
  const problems: SettingsProblem[] = [];
  for (const [field, value] of Object.entries(parsed)) {
    if (!isField(field)) {
      problems.push({
        kind: 'unknown',
        field,
        value: shown(value),
        detail: `unknown setting ${field}, ignored`,
      });
      continue;
    }
    const checked = FIELDS[field].safeParse(value);
    if (checked.success) {
      values[field] = checked.data;
      continue;
    }
    const used = shown(DEFAULT_SETTINGS[field]);
    const reason = checked.error.issues[0]?.message ?? 'not a valid value';
    problems.push({
      kind: 'invalid',
      field,
      value: shown(value),
      used,
      detail: `${field}: ${shown(value)} is not valid (${reason}); using ${used}`,
    });
  }
  return { values: values as Partial<Settings>, problems };
}

export class SettingsStore {
  private current: Settings;
  private readonly problems: SettingsProblem[] = [];
  /** Set once the user's original file has been copied aside (or needs no copy). */
  private keptAs: string | null = null;
  private needsKeepAside = false;

  /** `file` undefined keeps settings in memory only (tests, a throwaway headless run). */
  constructor(private readonly file?: string) {
    this.current = { ...DEFAULT_SETTINGS, ...this.load() };
    for (const problem of this.problems) {
      console.warn(`[proctor] settings ${file}: ${problem.detail}`);
    }
  }

  get(): Settings {
    return { ...this.current };
  }

  /** What was wrong with the file at start; null when nothing was. */
  report(): SettingsReport | null {
    if (!this.file || this.problems.length === 0) return null;
    return { file: this.file, problems: [...this.problems], keptAs: this.keptAs };
  }

  /** The new settings once they are on disk; throws E_SETTINGS_WRITE, changing nothing, if they cannot be. */
  update(patch: Partial<Settings>): Settings {
    const next = { ...this.current, ...patch };
    this.save(next);
    this.current = next;
    return this.get();
  }

  private load(): Partial<Settings> {
    if (!this.file) return {};
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      const detail = `cannot be read (${fileErrorWords(error)}); every setting is at its default`;
      this.problems.push({ kind: 'unreadable', field: null, detail });
      return {};
    }
    const { values, problems } = parseSettings(text);
    this.problems.push(...problems);
    this.needsKeepAside = problems.length > 0;
    return values;
  }

  private save(next: Settings): void {
    if (!this.file) return;
    const temp = `${this.file}.tmp`;
    const aside = this.needsKeepAside
      ? `${this.file}.bad-${new Date().toISOString().replace(/[:.]/g, '-')}`
      : null;
    const written: string[] = [];
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      if (aside !== null) {
        copyFileSync(this.file, aside, constants.COPYFILE_EXCL);
        written.push(aside);
      }
      // Write then rename, so a crash mid-write never leaves a half file behind.
      written.push(temp);
      writeFileSync(temp, JSON.stringify(next, null, 2));
      renameSync(temp, this.file);
    } catch (error) {
      written.forEach(removeQuietly);
      throw new CodedError(
        'E_SETTINGS_WRITE',
        `could not save settings to ${this.file}: ${fileErrorWords(error)}`,
      );
    }
    if (aside !== null) {
      this.keptAs = aside;
      this.needsKeepAside = false;
      console.warn(`[proctor] settings ${this.file}: the file as it was is kept as ${aside}`);
    }
  }
}
