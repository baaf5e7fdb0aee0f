// Keeping programs in a stack file the user also edits by hand: the yaml Document API changes only the
// program in question, so comments, key order and the other programs stay as they were written.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, parseDocument, type Document, type Node, type YAMLMap } from 'yaml';
import { CodedError } from '../../../shared/errors';
import { writeWholeSync } from '../write-whole';
import { describeProblems, parseStack } from './load';

function programsMap(doc: Document): YAMLMap {
  const root = isMap(doc.contents) ? doc.contents : (doc.contents = doc.createNode({}) as YAMLMap);
  const programs = root.get('programs', true);
  if (isMap(programs)) return programs;
  const created = doc.createNode({}) as YAMLMap;
  root.set('programs', created);
  return created;
}

/** Sets each key that differs; keys the program no longer has go. Unchanged keys keep their comments. */
function update(doc: Document, target: YAMLMap, program: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(program)) {
    const current = target.get(key, true) as Node | undefined;
    if (current === undefined || !isDeepStrictEqual(current.toJSON(), value))
      target.set(key, doc.createNode(value));
  }
  for (const item of [...target.items]) {
    const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
    if (!Object.hasOwn(program, key)) target.delete(key);
  }
}

/** The file with `name` set to `program` (null removes it); the whole result must be a valid stack. */
export function editedStack(file: string, name: string, program: Record<string, unknown> | null): string {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const doc = parseDocument(text);
  const before = parseStack(text, file);
  if (doc.errors.length > 0 && !before.ok)
    throw new CodedError('E_STACK_INVALID', describeProblems(before.problems));
  const programs = programsMap(doc);
  const existing = programs.get(name, true);
  if (program === null) {
    if (existing === undefined)
      throw new CodedError('E_NO_SUCH_PROGRAM', `${file} has no program named ${name}`);
    programs.delete(name);
  } else if (isMap(existing)) {
    update(doc, existing, program);
  } else {
    programs.set(name, doc.createNode(program));
  }
  const next = doc.toString({ flowCollectionPadding: false });
  const checked = parseStack(next, file);
  if (!checked.ok) throw new CodedError('E_STACK_INVALID', describeProblems(checked.problems));
  return next;
}

/** Write then rename: a failed write leaves the old file whole. */
export function writeStack(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeWholeSync(file, text);
}
