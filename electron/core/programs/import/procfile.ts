// A Procfile (Heroku, foreman, honcho): one `name: command` a line, run by the shell.
import { Notes, type Stack } from './notes';

const LINE = /^([A-Za-z0-9_-]+):\s*(.+)$/;

export function fromProcfile(text: string, notes: Notes): Stack {
  const stack: Stack = { programs: {} };
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = LINE.exec(line);
    if (!match) {
      notes.skip(null, `line ${i + 1}`, `"${line.slice(0, 80)}" is not a "name: command" line`);
      return;
    }
    stack.programs[match[1]!] = { command: match[2]! };
  });
  return stack;
}
