// The boundary every transport goes through: name check, schema parse, call, and errors as values.
import {
  isCommandName,
  noSuchCommand,
  parseRequest,
  type CommandName,
  type ParsedRequestOf,
  type ResponseOf,
  type Result,
} from '../../shared/contract';
import { CodedError, messageOf } from '../../shared/errors';
import type { Logger } from './log';

export type CommandHandlers = {
  [C in CommandName]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C>;
};

/** Answers one request. Never throws: whatever goes wrong comes back as `{ ok: false, error }`. */
export async function dispatch<C extends CommandName>(
  handlers: CommandHandlers,
  name: C,
  payload: unknown,
  log?: Logger,
): Promise<Result<ResponseOf<C>>> {
  // The name is typed, but a caller in plain JavaScript may still pass anything.
  if (!isCommandName(name)) return noSuchCommand(name);
  const parsed = parseRequest(name, payload);
  if (!parsed.ok) return parsed;
  try {
    // TypeScript cannot pair handlers[name] with ParsedRequestOf<C> for a generic C; the table's type does.
    const handler = handlers[name] as (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C>;
    return { ok: true, value: await handler(parsed.value) };
  } catch (error) {
    if (error instanceof CodedError) return { ok: false, error: error.toJSON() };
    // A bug, not the caller's mistake: the caller gets E_INTERNAL, the log gets the stack.
    log?.error({ err: error, command: name }, 'command failed unexpectedly');
    return { ok: false, error: { code: 'E_INTERNAL', message: messageOf(error) } };
  }
}
