import { createClient, type ProctorClient } from './client';
import { chosenMachine, type Machine } from './machines';

export type { ProctorClient, ConnectionState, TransportKind } from './client';

let client: ProctorClient | null = null;
let machine: Machine | null = null;

/** The machine this window shows, read once: switching machines reloads the page, so every store starts afresh. */
export function useMachine(): Machine {
  return (machine ??= chosenMachine());
}

/** The window's one client, made on first use so the token is read once. */
export function useClient(): ProctorClient {
  return (client ??= createClient(useMachine()));
}
