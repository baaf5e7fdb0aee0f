// A Start form's schema issue in the user's words: the field named as the form labels it, what is wrong
// in plain terms, and what to do. The schema's own messages are the contract's (English, for scripts).
import type { z } from 'zod';

/** The form field an issue's path lands on: a restart setting is a field of its own. */
export type SpecField =
  | 'command'
  | 'args'
  | 'cwd'
  | 'env'
  | 'name'
  | 'graceMs'
  | 'restart'
  | 'maxRetries'
  | 'backoffMs'
  | 'maxBackoffMs';

const LABELS: Record<SpecField, string> = {
  command: 'start.command',
  args: 'start.args',
  cwd: 'start.cwd',
  env: 'start.env',
  name: 'start.name',
  graceMs: 'start.graceMs',
  restart: 'start.restart',
  maxRetries: 'start.maxRetries',
  backoffMs: 'start.backoffMs',
  maxBackoffMs: 'start.maxBackoffMs',
};

type Translate = (key: string, named?: Record<string, unknown>) => string;

/** The form field a spec path (`['restart', 'backoffMs']`, `'env.HOME'`) belongs to. */
export function fieldOf(path: readonly PropertyKey[] | string): SpecField | '' {
  const parts = typeof path === 'string' ? path.split('.') : path.map(String);
  const [first, second] = parts;
  if (first === 'restart' && second && second in LABELS && second !== 'restart') return second as SpecField;
  return first && first in LABELS ? (first as SpecField) : '';
}

export function specIssueWords(
  issue: z.core.$ZodIssue,
  t: Translate,
): { field: SpecField | ''; text: string } {
  const field = fieldOf(issue.path);
  const label = field ? t(LABELS[field]) : '';
  const text = (() => {
    if (field === 'env' && issue.code === 'custom' && issue.path.length > 1)
      return t('specErrors.envTooBig', { label, variable: String(issue.path[1]) });
    if (issue.code === 'too_small' && issue.origin === 'string')
      return t(field === 'command' ? 'specErrors.commandRequired' : 'specErrors.required', { label });
    if (issue.code === 'too_small') return t('specErrors.tooSmall', { label, min: String(issue.minimum) });
    if (issue.code === 'too_big' && issue.origin === 'number')
      return t('specErrors.tooBig', { label, max: String(issue.maximum) });
    if (issue.code === 'too_big') return t('specErrors.tooLong', { label });
    if (issue.code === 'invalid_type' && issue.expected === 'number')
      return t('specErrors.notNumber', { label });
    if (issue.code === 'invalid_type' && issue.expected === 'int') return t('specErrors.notWhole', { label });
    return t('specErrors.other', { label, message: issue.message });
  })();
  return { field, text };
}

/** A backend's E_INVALID (the schema's message and the path of the field), in the same words. */
export function backendIssueWords(
  path: string,
  message: string,
  t: Translate,
): { field: SpecField | ''; text: string } {
  const field = fieldOf(path);
  return { field, text: t('specErrors.other', { label: field ? t(LABELS[field]) : path, message }) };
}
