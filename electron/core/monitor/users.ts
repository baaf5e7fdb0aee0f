import { readFileSync } from 'node:fs';

let byUid: Map<number, string> | null = null;

/**
 * The login name of a uid, from /etc/passwd read once. Falls back to the number (macOS keeps most
 * users in Directory Services; Windows has no uid at all).
 */
export function userName(uid: number): string {
  if (uid < 0) return '';
  byUid ??= readPasswd();
  return byUid.get(uid) ?? String(uid);
}

function readPasswd(): Map<number, string> {
  const names = new Map<number, string>();
  let text = '';
  try {
    text = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return names;
  }
  for (const line of text.split('\n')) {
    const [name, , uid] = line.split(':');
    if (name && uid && !names.has(Number(uid))) names.set(Number(uid), name);
  }
  return names;
}
