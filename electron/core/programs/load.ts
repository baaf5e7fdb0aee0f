// Reading a stack file: YAML, the schema, then the rules across programs (dependencies, cycles, names,
// conditions), and env files. Every problem is collected with its file:line:col; one problem refuses the
// whole file, so nothing is applied from a file that is only partly right.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { CodedError } from '../../../shared/errors';
import type { StackProblem } from '../../../shared/model';
import { findCycles } from './graph';
import { placeOf } from './locate';
import { StackSchema, type ProgramDef, type StackFile } from './schema';

export interface ResolvedProgram {
  name: string;
  def: ProgramDef;
  /** Absolute: a relative `cwd` is taken from the stack file's folder. */
  cwd: string;
  /** The file's `environment`, then the `env_file`s, then `env`: what the program adds to the backend's own. */
  env: Record<string, string>;
  /** Equal for two loads exactly when nothing about how the program runs has changed. */
  fingerprint: string;
}

export interface Stack {
  file: string;
  orderedShutdown: boolean;
  watch: boolean;
  programs: Map<string, ResolvedProgram>;
}

export type StackResult = { ok: true; stack: Stack } | { ok: false; problems: StackProblem[] };

/** The name of replica `i` of a program that has `replicas` copies. */
export function replicaName(program: string, replicas: number, i: number): string {
  return replicas === 1 ? program : `${program}-${i}`;
}

class Problems {
  readonly list: StackProblem[] = [];

  constructor(
    private readonly file: string,
    private readonly doc: Document | null,
    private readonly lines: LineCounter,
  ) {}

  at(
    path: ReadonlyArray<PropertyKey>,
    problem: Pick<StackProblem, 'code' | 'params' | 'message'>,
    atKey = false,
  ) {
    const place = this.doc ? placeOf(this.doc, this.lines, path, atKey) : null;
    this.list.push({ file: this.file, line: place?.line ?? null, col: place?.col ?? null, ...problem });
  }
}

function readEnvFiles(
  def: ProgramDef,
  dir: string,
  name: string,
  problems: Problems,
): Record<string, string> {
  const files = def.env_file === undefined ? [] : [def.env_file].flat();
  const env: Record<string, string> = {};
  files.forEach((file, i) => {
    const path = resolve(dir, file);
    try {
      Object.assign(env, parseDotenv(readFileSync(path)));
    } catch (error) {
      const detail = (error as Error).message;
      problems.at(['programs', name, 'env_file', ...(Array.isArray(def.env_file) ? [i] : [])], {
        code: 'env_file',
        params: { program: name, file: path, detail },
        message: `${name}: env_file ${path} cannot be read: ${detail}`,
      });
    }
  });
  return env;
}

function checkGraph(stack: StackFile, problems: Problems): void {
  const programs = stack.programs;
  const deps = new Map(Object.entries(programs).map(([name, def]) => [name, Object.keys(def.depends_on)]));
  for (const [name, def] of Object.entries(programs)) {
    for (const [dep, { condition }] of Object.entries(def.depends_on)) {
      const path = ['programs', name, 'depends_on', dep];
      const target = programs[dep];
      if (!target) {
        problems.at(
          path,
          {
            code: 'unknown_dependency',
            params: { program: name, dependency: dep },
            message: `${name} depends on ${dep}, which is not a program in this file`,
          },
          true,
        );
        continue;
      }
      const needs =
        condition === 'healthy' && !target.readiness_probe
          ? 'readiness_probe'
          : condition === 'log_ready' && !target.ready_log_line
            ? 'ready_log_line'
            : null;
      if (needs)
        problems.at(path, {
          code: 'condition_unmeetable',
          params: { program: name, dependency: dep, condition, needs },
          message: `${name} waits for ${dep} to be ${condition}, but ${dep} has no ${needs}`,
        });
    }
  }
  for (const cycle of findCycles(deps)) {
    const [first, second] = cycle;
    problems.at(
      ['programs', first!, 'depends_on', second!],
      {
        code: 'cycle',
        params: { programs: cycle.join(' → ') },
        message: `a dependency cycle: ${cycle.join(' → ')}`,
      },
      true,
    );
  }
  const owners = new Map<string, string>();
  for (const [name, def] of Object.entries(programs)) {
    for (let i = 0; i < def.replicas; i++) {
      const unit = replicaName(name, def.replicas, i);
      const other = owners.get(unit);
      if (other !== undefined)
        problems.at(
          ['programs', name],
          {
            code: 'duplicate_name',
            params: { name: unit, programs: `${other}, ${name}` },
            message: `the name ${unit} is used by both ${other} and ${name}`,
          },
          true,
        );
      owners.set(unit, name);
    }
  }
}

/** Validates a whole stack file's text; `file` names it in problems and anchors relative paths. */
export function parseStack(text: string, file: string): StackResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const problems = new Problems(file, doc, lines);
  for (const error of doc.errors) {
    const place = lines.linePos(error.pos[0]);
    const duplicate = error.code === 'DUPLICATE_KEY';
    problems.list.push({
      file,
      line: place.line,
      col: place.col,
      code: duplicate ? 'duplicate_key' : 'yaml',
      params: { detail: error.message },
      message: duplicate ? `a name or key is defined twice: ${error.message}` : error.message,
    });
  }
  if (problems.list.length > 0) return { ok: false, problems: problems.list };

  const parsed = StackSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
      const path = unknownKey === undefined ? issue.path : [...issue.path, unknownKey];
      const where = path.map(String).join('.') || '(file)';
      problems.at(
        path,
        {
          code: 'schema',
          params: { path: where, detail: issue.message },
          message: `${where}: ${issue.message}`,
        },
        unknownKey !== undefined,
      );
    }
    return { ok: false, problems: problems.list };
  }

  const stack = parsed.data;
  checkGraph(stack, problems);
  const dir = dirname(resolve(file));
  const programs = new Map<string, ResolvedProgram>();
  for (const [name, def] of Object.entries(stack.programs)) {
    const env = { ...stack.environment, ...readEnvFiles(def, dir, name, problems), ...def.env };
    const cwd = resolve(dir, def.cwd ?? '.');
    programs.set(name, { name, def, cwd, env, fingerprint: JSON.stringify({ def, cwd, env }) });
  }
  if (problems.list.length > 0) return { ok: false, problems: problems.list };
  return { ok: true, stack: { file, orderedShutdown: stack.ordered_shutdown, watch: stack.watch, programs } };
}

export function readStack(file: string): StackResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const detail = (error as Error).message;
    return {
      ok: false,
      problems: [{ file, line: null, col: null, code: 'read', params: { detail }, message: detail }],
    };
  }
  return parseStack(text, file);
}

/** `file:line:col: message`, the way compilers print, one problem a line. */
export function describeProblems(problems: readonly StackProblem[]): string {
  return problems
    .map((p) => `${[p.file, p.line, p.col].filter((part) => part !== null).join(':')}: ${p.message}`)
    .join('\n');
}

/** The stack, or E_STACK_INVALID with every problem in its words. */
export function stackOrThrow(result: StackResult): Stack {
  if (result.ok) return result.stack;
  throw new CodedError('E_STACK_INVALID', describeProblems(result.problems));
}
