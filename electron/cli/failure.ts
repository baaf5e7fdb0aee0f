// Exit statuses scripts can rely on, and the one place a failure becomes words on stderr and a status.
import type { CommanderError } from 'commander';
import { CodedError } from '../../shared/errors';
import { BackendError, NoBackendError } from '../client/socket-client';

export const EXIT = { ok: 0, failure: 1, usage: 2, noBackend: 3 } as const;

/** A command's own failure, already in words: `proctor: <message>` and the status. */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly status: number = EXIT.failure,
  ) {
    super(message);
    this.name = 'CliFailure';
  }
}

export const usageError = (message: string): CliFailure => new CliFailure(message, EXIT.usage);

/** Told by its code, not `instanceof`: `proctor ps --json` answers without loading commander at all. */
function isCommanderError(error: unknown): error is CommanderError {
  return error instanceof Error && String((error as Partial<CommanderError>).code).startsWith('commander.');
}

/** Writes what went wrong and answers the exit status. */
export function reportFailure(error: unknown, write: (text: string) => void): number {
  if (isCommanderError(error)) {
    // Commander has written its own words (or the help); only the status is ours.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof NoBackendError) {
    write(
      `proctor: ${error.message}\nStart one with \`proctor up\` (in the foreground) or \`proctor up --detach\`, or open the desktop app.\n`,
    );
    return EXIT.noBackend;
  }
  if (error instanceof CliFailure) {
    write(`proctor: ${error.message}\n`);
    return error.status;
  }
  // The programs code run in the command itself (validate, import) throws with the backend's codes.
  if (error instanceof CodedError) {
    write(`proctor: ${error.code}: ${error.message}\n`);
    return EXIT.failure;
  }
  // A BackendError's message starts with its code: `E_NO_SUCH_CHILD: …`.
  const message = error instanceof BackendError || error instanceof Error ? error.message : String(error);
  write(`proctor: ${message}\n`);
  return EXIT.failure;
}
