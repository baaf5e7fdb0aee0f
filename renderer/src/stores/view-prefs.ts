// How the tree was last looked at (sort, filter, tree or flat, supervised only), kept in this window's
// storage like the theme, so a reload comes back to the same view. Read through a schema: a stored value
// from an older build, or one edited by hand, falls back to the defaults field by field.
import { z } from 'zod';
import type { SortKey } from '../tree/shape';

const SORT_KEYS = [
  'pid',
  'name',
  'cmd',
  'state',
  'cpuPct',
  'rssBytes',
  'threads',
  'user',
  'startedAt',
  'ioReadPerSec',
  'ioWritePerSec',
  'ports',
  'gpuPct',
  'cgroup',
  'nice',
  'mpRole',
] as const satisfies readonly SortKey[];
// Every sort key, no more: a key added to SortKey and not here fails to compile.
type Missing = Exclude<SortKey, (typeof SORT_KEYS)[number]>;
const EVERY_KEY: [Missing] extends [never] ? true : Missing = true;
void EVERY_KEY;

const ViewPrefsSchema = z.object({
  sort: z
    .object({ key: z.enum(SORT_KEYS), descending: z.boolean() })
    .catch({ key: 'pid', descending: false }),
  filter: z.string().max(500).catch(''),
  tree: z.boolean().catch(true),
  supervisedOnly: z.boolean().catch(false),
});

export type ViewPrefs = z.output<typeof ViewPrefsSchema>;

const KEY = 'proctor.view';

export function loadViewPrefs(): ViewPrefs {
  let stored: unknown = {};
  try {
    stored = JSON.parse(localStorage.getItem(KEY) ?? '{}');
  } catch {
    // Unreadable JSON is the same as nothing stored: the defaults below.
  }
  return ViewPrefsSchema.parse(typeof stored === 'object' && stored !== null ? stored : {});
}

export function saveViewPrefs(prefs: ViewPrefs): void {
  localStorage.setItem(KEY, JSON.stringify(prefs));
}
