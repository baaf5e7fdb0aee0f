// What an importer could not carry over, collected as it converts.
import type { ImportNote } from '../../../../shared/model';

export class Notes {
  readonly list: ImportNote[] = [];

  /** `key` of `program` (null: top level) is left out; `why` says what Proctor does instead, if anything. */
  skip(program: string | null, key: string, why: string): void {
    const where = program === null ? key : `${program}.${key}`;
    this.list.push({ program, key, message: `${where} was not imported: ${why}` });
  }

  /** Every key of `source` (found under `under`) that `known` does not list is left out with a generic reason. */
  rest(
    program: string | null,
    source: Record<string, unknown>,
    known: readonly string[],
    tool: string,
    under?: string,
  ): void {
    for (const key of Object.keys(source)) {
      const path = under === undefined ? key : `${under}.${key}`;
      if (!known.includes(key)) this.skip(program, path, `Proctor has no equivalent of ${tool}'s ${path}`);
    }
  }
}

export type Stack = { programs: Record<string, Record<string, unknown>> } & Record<string, unknown>;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
