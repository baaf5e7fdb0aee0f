// The boundary every transport goes through: name check, schema parse, call, and errors as values.
import {
  isCommandName,
  parseRequest,
  type CommandName,
  type ParsedRequestOf,
  type ResponseOf,
  type Result,
} from '../../shared/contract';
import { CodedError } from '../../shared/errors';

export type CommandHandlers = {
  [C in CommandName]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C>;
};

/** Answers one request. Never throws: whatever goes wrong comes back as `{ ok: false, error }`. */
export async function dispatch(
  handlers: CommandHandlers,
  name: unknown,
  payload: unknown,
): Promise<Result<unknown>> {
  if (!isCommandName(name)) {
    return {
      ok: false,
      error: {
        code: 'E_NO_SUCH_CHANNEL',
        message: `there is no command named ${JSON.stringify(String(name)).slice(0, 80)}`,
      },
    };
  }
  const parsed = parseRequest(name, payload);
  if (!parsed.ok) return parsed;
  try {
    const handler = handlers[name] as (request: unknown) => unknown;
    return { ok: true, value: await handler(parsed.value) };
  } catch (error) {
    if (error instanceof CodedError) return { ok: false, error: error.toJSON() };
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: 'E_INTERNAL', message } };
  }
}
