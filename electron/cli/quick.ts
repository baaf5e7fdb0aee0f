// What scripts run in loops, answered without loading commander and every other command: a cold
// `proctor ps --json` costs little more than starting Node. Anything else goes to the full parser.
import { socketPath } from '../client/socket-path';
import { printListed } from './ps';

export function quickCommand(argv: readonly string[]): (() => Promise<void>) | null {
  if (argv.length === 2 && (argv[0] === 'ps' || argv[0] === 'ls') && argv[1] === '--json')
    return () => printListed(socketPath());
  return null;
}
