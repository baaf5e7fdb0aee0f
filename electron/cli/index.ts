// `proctor`: parses the command line and turns what goes wrong into words on stderr and an exit status.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportFailure } from './failure';
import { buildProgram } from './program';

// `proctor ps | head`: a reader that stops early is not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const program = buildProgram({
  root: resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'),
  entry: process.argv[1]!,
});
try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportFailure(error, (text) => process.stderr.write(text));
}
