// A program's reason in English, from its code and parameters: the command line and logs print these,
// the window words the same codes in each language from the same catalogues.
import type { ProgramReason } from './model';
import { WORDS } from './words';

export const PROGRAM_REASON_TEXT: Record<ProgramReason['code'], string> = WORDS.en.programReasons;

type Untexted<R> = R extends ProgramReason ? Omit<R, 'text'> : never;

/** The reason with its English words filled in from the template of its code. */
export function programReason(reason: Untexted<ProgramReason>): ProgramReason {
  const params = reason.params as Record<string, string | number | null>;
  const text = PROGRAM_REASON_TEXT[reason.code].replace(/\{(\w+)\}/g, (_, key: string) =>
    String(params[key] ?? 'none'),
  );
  return { ...reason, text } as ProgramReason;
}
