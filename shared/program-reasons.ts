// A program's reason in English, from its code and parameters: the command line and logs print these,
// the window's catalogues word the same codes in each language (en reuses these templates).
import type { ProgramReason } from './model';

export const PROGRAM_REASON_TEXT: Record<ProgramReason['code'], string> = {
  waiting_for: 'waiting for {dependency}: {condition}',
  dependency_disabled: '{dependency} is disabled',
  dependency_blocked: '{dependency} is blocked',
  dependency_ended: '{dependency} ended (exitcode {exitcode}) and can no longer be {condition}',
  liveness_failed: 'liveness probe failed {failures} times: {detail}',
  rss_limit: 'family RSS {rssMb} MB stayed above {limitMb} MB for {ticks} ticks',
};

type Untexted<R> = R extends ProgramReason ? Omit<R, 'text'> : never;

/** The reason with its English words filled in from the template of its code. */
export function programReason(reason: Untexted<ProgramReason>): ProgramReason {
  const params = reason.params as Record<string, string | number | null>;
  const text = PROGRAM_REASON_TEXT[reason.code].replace(/\{(\w+)\}/g, (_, key: string) =>
    String(params[key] ?? 'none'),
  );
  return { ...reason, text } as ProgramReason;
}
