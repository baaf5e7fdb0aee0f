// Error codes that cross the transport. Every code has a sentence a user can act on in each language's
// catalogue (`errors` in shared/words), so the codes are that section's keys.
import type { Words } from './words/en';

export type ErrorCode = keyof Words['errors'];

export interface ProctorError {
  code: ErrorCode;
  message: string;
  /** For E_INVALID: the path of the bad field, e.g. `spec.args.2`. */
  path?: string;
}

/** The message of anything thrown, for an answer, a log line or the status bar. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** An Error that carries a contract error code, thrown inside the backend and answered as `{ ok: false }`. */
export class CodedError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = 'CodedError';
  }

  toJSON(): ProctorError {
    return this.path === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, path: this.path };
  }
}
