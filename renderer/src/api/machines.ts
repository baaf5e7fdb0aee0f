// The machines a window can watch: this one (the backend that served the page, or Electron's own) and
// others reached by URL + token, usually through an SSH tunnel. The list is the browser's, kept in
// localStorage like the window's other preferences; which one a tab shows is the tab's (sessionStorage),
// so two tabs may watch two machines.
import { z } from 'zod';
import { WS_PATH } from '../../../shared/wire';

export const LOCAL_MACHINE_ID = 'local';

export interface Machine {
  id: string;
  /** The user's name for it; empty for this machine until the user gives one. */
  name: string;
  /** `http://127.0.0.1:7001`: the origin its server prints; empty for this machine. */
  url: string;
  token: string;
}

const LIST_KEY = 'proctor.machines';
const CHOSEN_KEY = 'proctor.machine';

const MachineSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  url: z.string(),
  token: z.string(),
});

/** The kept list, this machine first and always there; an entry the schema refuses is left out, not fatal. */
export function readMachines(): Machine[] {
  let stored: unknown = [];
  try {
    stored = JSON.parse(localStorage.getItem(LIST_KEY) ?? '[]');
  } catch {
    // A list that no longer parses is a fresh start, not a window that cannot open.
  }
  const entries = Array.isArray(stored) ? stored : [];
  const machines = entries.flatMap((entry) => {
    const parsed = MachineSchema.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
  const local = machines.find((machine) => machine.id === LOCAL_MACHINE_ID);
  return [
    { id: LOCAL_MACHINE_ID, name: local?.name ?? '', url: '', token: '' },
    ...machines.filter((machine) => machine.id !== LOCAL_MACHINE_ID),
  ];
}

export function writeMachines(machines: readonly Machine[]): void {
  localStorage.setItem(LIST_KEY, JSON.stringify(machines));
}

/** The machine this tab shows: the chosen one while it is still in the list, else this machine. */
export function chosenMachine(machines: readonly Machine[] = readMachines()): Machine {
  const id = sessionStorage.getItem(CHOSEN_KEY);
  return machines.find((machine) => machine.id === id) ?? machines[0]!;
}

export function chooseMachine(id: string): void {
  sessionStorage.setItem(CHOSEN_KEY, id);
}

export type AddressProblem = 'malformed' | 'notLoopback' | 'thisMachine';
export type ParsedAddress =
  { ok: true; url: string; token: string | null } | { ok: false; problem: AddressProblem };

/** The content security policy lets the window open sockets to these names only (see index.html). */
const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost']);

/**
 * What the user typed or pasted: `127.0.0.1:7001`, `http://localhost:7001`, or the whole URL another
 * Proctor printed, `?token=` included (then the token comes with it). Loopback only: headless mode binds
 * 127.0.0.1, and another computer is reached through `ssh -L`, which ends on this one's loopback.
 */
export function parseAddress(text: string, ownOrigin: string | null): ParsedAddress {
  const trimmed = text.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z\d+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`);
  } catch {
    return { ok: false, problem: 'malformed' };
  }
  if (url.protocol !== 'http:' || url.port === '' || trimmed === '')
    return { ok: false, problem: 'malformed' };
  if (!LOOPBACK_NAMES.has(url.hostname)) return { ok: false, problem: 'notLoopback' };
  const own = ownOrigin === null ? null : new URL(ownOrigin);
  if (own && own.port === url.port && LOOPBACK_NAMES.has(own.hostname))
    return { ok: false, problem: 'thisMachine' };
  return { ok: true, url: url.origin, token: url.searchParams.get('token') };
}

/** The machine's contract socket, token included. */
export function socketUrl(machineUrl: string, token: string): string {
  const url = new URL(machineUrl);
  return `ws://${url.host}${WS_PATH}?token=${encodeURIComponent(token)}`;
}

export function newMachineId(): string {
  return crypto.randomUUID();
}
