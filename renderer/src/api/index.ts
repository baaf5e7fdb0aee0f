import { createClient, type ProctorClient } from './client';

export type { ProctorClient, ConnectionState, TransportKind } from './client';

let client: ProctorClient | null = null;

/** The window's one client, made on first use so the token is read once. */
export function useClient(): ProctorClient {
  return (client ??= createClient());
}
