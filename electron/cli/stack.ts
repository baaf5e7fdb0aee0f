// `proctor validate FILE` and `proctor import FILE [-o OUT]`: a stack file checked, or another tool's file
// converted, with no backend and nothing run. The programs code is loaded only by these commands.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { CliFailure } from './failure';

export function stackCommands(program: Command): void {
  program
    .command('validate <file>')
    .description(
      'check a stack file without running anything: every problem as file:line:col; exits 1 when there is one',
    )
    .action(async (file: string) => {
      const { describeProblems, readStack } = await import('../core/programs/load');
      const result = readStack(file);
      if (!result.ok) {
        process.stderr.write(`${describeProblems(result.problems)}\n`);
        const count = result.problems.length;
        throw new CliFailure(`E_STACK_INVALID: ${file} has ${count} problem${count === 1 ? '' : 's'}`);
      }
      const names = [...result.stack.programs.keys()];
      console.log(
        `${file}: valid, ${names.length} program${names.length === 1 ? '' : 's'} (${names.join(', ')})`,
      );
    });
  program
    .command('import <file>')
    .description(
      'convert a process-compose, Procfile, pm2 ecosystem or supervisord file into a stack file; prints it, or writes it with -o',
    )
    .option('-o, --output <file>', 'write the stack file here (never over an existing file)')
    .action(async (file: string, options: { output?: string }) => {
      const [{ importFile }, { writeStack }] = await Promise.all([
        import('../core/programs/import'),
        import('../core/programs/keep'),
      ]);
      const source = resolve(file);
      // Checked as it will be read from where it is written: relative cwd and env files resolve from there.
      const target = resolve(options.output ?? join(dirname(source), 'proctor.yaml'));
      if (options.output !== undefined && existsSync(target))
        throw new CliFailure(`E_STATE: ${options.output} already exists: it was not overwritten`);
      const imported = await importFile(source, target);
      for (const note of imported.notes)
        process.stderr.write(
          `${file}: ${note.program ? `${note.program}.` : ''}${note.key}: ${note.message}\n`,
        );
      if (options.output === undefined) {
        process.stdout.write(imported.yaml);
        return;
      }
      writeStack(target, imported.yaml);
      console.log(
        `wrote ${options.output} (from ${imported.format}); check it with \`proctor validate ${options.output}\``,
      );
    });
}
