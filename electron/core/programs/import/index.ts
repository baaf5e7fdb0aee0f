// Other tools' files read as they are: detected by name or content, converted, checked as a stack file.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { CodedError } from '../../../../shared/errors';
import type { ImportFormat, ImportNote } from '../../../../shared/model';
import { describeProblems, parseStack } from '../load';
import { isRecord, Notes, type Stack } from './notes';
import { fromPm2 } from './pm2';
import { fromProcessCompose } from './process-compose';
import { fromProcfile } from './procfile';
import { fromSupervisord } from './supervisord';

/** How long a pm2 .config.js may take to evaluate. */
const EVAL_TIMEOUT_MS = 10_000;

const EVALUATE = `const { pathToFileURL } = await import('node:url');
const loaded = await import(pathToFileURL(process.argv[1]).href);
process.stdout.write(JSON.stringify(loaded.default ?? loaded));`;

/** A pm2 .config.js is the user's own code: it runs in a child Node process, never in the backend. */
function evaluateConfig(file: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', EVALUATE, file],
      { cwd: dirname(file), timeout: EVAL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error)
          reject(
            new CodedError('E_IMPORT', `${file} could not be evaluated: ${stderr.trim() || error.message}`),
          );
        else resolve(JSON.parse(stdout) as unknown);
      },
    );
  });
}

function parseData(text: string, file: string): unknown {
  try {
    return parseYaml(text) as unknown;
  } catch (error) {
    throw new CodedError('E_IMPORT', `${file} is not YAML or JSON: ${(error as Error).message}`);
  }
}

/** By name first (Procfile, process-compose*.yaml, ecosystem*, *.conf), else by what the file holds. */
function detect(file: string, text: string): ImportFormat {
  const name = basename(file);
  if (/^Procfile\b/.test(name)) return 'procfile';
  if (/^process-compose.*\.ya?ml$/.test(name)) return 'process-compose';
  if (/^ecosystem\b|\.config\.[cm]?js$|pm2/.test(name)) return 'pm2';
  if (/\.conf$|\.ini$/.test(name) || /^\s*\[program:/m.test(text)) return 'supervisord';
  if (/\.[cm]?js$/.test(name)) return 'pm2';
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch {
    data = undefined;
  }
  if (isRecord(data) && isRecord(data.processes)) return 'process-compose';
  if (isRecord(data) && Array.isArray(data.apps)) return 'pm2';
  return 'procfile';
}

async function convert(format: ImportFormat, file: string, text: string, notes: Notes): Promise<Stack> {
  try {
    switch (format) {
      case 'procfile':
        return fromProcfile(text, notes);
      case 'supervisord':
        return fromSupervisord(text, notes);
      case 'process-compose':
        return fromProcessCompose(parseData(text, file), notes);
      case 'pm2':
        return fromPm2(/\.[cm]?js$/.test(file) ? await evaluateConfig(file) : parseData(text, file), notes);
    }
  } catch (error) {
    if (error instanceof CodedError) throw error;
    throw new CodedError('E_IMPORT', `${file}: ${(error as Error).message}`);
  }
}

export interface Imported {
  format: ImportFormat;
  yaml: string;
  notes: ImportNote[];
}

/**
 * Converts `file` into stack file text meant to be saved as `target` (default: proctor.yaml beside it),
 * checked as a stack file there; a result that would not load is refused with its problems.
 */
export async function importFile(
  file: string,
  target = join(dirname(file), 'proctor.yaml'),
): Promise<Imported> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CodedError('E_IMPORT', `${file} cannot be read: ${(error as Error).message}`);
  }
  const format = detect(file, text);
  const notes = new Notes();
  const stack = await convert(format, file, text, notes);
  const header = `# Imported from ${basename(file)} (${format}) by Proctor.\n`;
  const yaml = header + stringify(stack, { flowCollectionPadding: false });
  const checked = parseStack(yaml, target);
  if (!checked.ok) throw new CodedError('E_STACK_INVALID', describeProblems(checked.problems));
  return { format, yaml, notes: notes.list };
}
