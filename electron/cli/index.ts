// `proctor`: parses the command line and turns what goes wrong into words on stderr and an exit status.
// The parser and the commands are loaded only when a quick command (quick.ts) does not answer.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportFailure } from './failure';
import { quickCommand } from './quick';

// `proctor ps | head`: a reader that stops early is not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
try {
  const quick = quickCommand(process.argv.slice(2));
  if (quick) await quick();
  else {
    const { buildProgram } = await import('./program');
    const program = buildProgram({
      root: resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'),
      entry: process.argv[1]!,
    });
    await program.parseAsync(process.argv);
  }
} catch (error) {
  process.exitCode = reportFailure(error, (text) => process.stderr.write(text));
}
