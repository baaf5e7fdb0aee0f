// Error codes that cross the transport. Every code carries words a user can act on.
export const ERROR_CODES = {
  E_INVALID: 'The request is not valid.',
  E_NO_SUCH_CHANNEL: 'There is no such command.',
  E_SPAWN_ENOENT: 'Command not found.',
  E_SPAWN_EACCES: 'Permission denied.',
  E_BAD_CWD: 'Working directory does not exist.',
  E_SPAWN: 'The process could not be started.',
  E_NO_SUCH_CHILD: 'There is no supervised child with that id.',
  E_NO_SUCH_PROCESS: 'There is no process with that pid.',
  E_EPERM: 'Not permitted to signal that process.',
  E_STATE: 'The child is in the wrong state for that.',
  E_NO_PYTHON: 'No Python interpreter was found.',
  E_NO_SUCH_LESSON: 'There is no lesson with that id.',
  E_INTERNAL: 'Something went wrong inside Proctor.',
  E_STACK_INVALID: 'The stack file is not valid; nothing was changed.',
  E_NO_SUCH_PROGRAM: 'There is no program with that name.',
  E_IMPORT: 'The file could not be imported.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

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
    message: string = ERROR_CODES[code],
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
