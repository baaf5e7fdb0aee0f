// Proctor's own lines in a program's log (stream `note`): written by the backend in English, so the log
// reads as it is with grep, and parsed back here so the window can word them in the user's language.

export type LogNote = { kind: 'dropped'; count: number } | { kind: 'run'; restarts: number };

export function droppedNote(count: number): string {
  return `${count} lines dropped: the disk was slower than the program, full or unwritable`;
}

/** A run of the program began: the restarts before it (0 for the first start). */
export function runNote(restarts: number): string {
  return `run started (restart ${restarts})`;
}

const DROPPED = /^(\d+) lines dropped: /;
const RUN = /^run started \(restart (\d+)\)$/;

export function parseNote(text: string): LogNote | null {
  const dropped = DROPPED.exec(text);
  if (dropped) return { kind: 'dropped', count: Number(dropped[1]) };
  const run = RUN.exec(text);
  if (run) return { kind: 'run', restarts: Number(run[1]) };
  return null;
}
