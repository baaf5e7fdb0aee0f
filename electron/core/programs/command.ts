// A stack file's command as argv: a string runs through `sh -c`, a list runs directly.
import type { CommandDef } from './schema';

export function argvOf(command: CommandDef): { command: string; args: string[] } {
  if (typeof command === 'string') return { command: 'sh', args: ['-c', command] };
  const [program, ...args] = command;
  return { command: program!, args };
}
