// The `proctor` command line: every command, its options and its help, in one commander program.
import { Command, Option } from 'commander';
import { version } from '../../package.json';
import { completionCommand } from './completion';
import { controlCommands } from './control';
import { lessonsCommand } from './lessons';
import { logsCommand } from './logs';
import { psCommand } from './ps';
import { runCommands } from './run';
import { stackCommands } from './stack';
import { startupCommands } from './startup';
import { upCommands, type CliContext } from './up';

export function buildProgram(context: CliContext): Command {
  const program = new Command('proctor')
    .description('Proctor from a terminal: the same contract as the window, over a local socket')
    .version(version)
    .addOption(
      new Option(
        '--socket <path>',
        "the backend's socket (default $XDG_RUNTIME_DIR/proctor/proctor.sock)",
      ).env('PROCTOR_SOCKET'),
    )
    // Options after a command's first argument belong to it (`proctor run -- ls -la`).
    .enablePositionalOptions()
    .showHelpAfterError('(add --help for usage)')
    // Usage errors end with status 2, not commander's 1; failures are reported by the caller.
    .exitOverride();
  upCommands(program, context);
  stackCommands(program);
  psCommand(program);
  controlCommands(program);
  runCommands(program);
  logsCommand(program);
  lessonsCommand(program);
  startupCommands(program, context);
  completionCommand(program);
  program.addHelpText(
    'after',
    "\nExit status: 0 success, 1 the command failed, 2 usage error, 3 no backend answering.\n`proctor join` exits with the child's own status (128+N for signal N).",
  );
  return program;
}
